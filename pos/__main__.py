"""`python -m pos` runs the `pos` command."""
import sys

from .cli import main

sys.exit(main())
