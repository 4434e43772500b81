"""Reading and validating the head-office dump."""
