"""`python -m pos.demo --out DIR ...`: the demo dump generator's command line
(the same as scripts/make-demo-store)."""
import sys

from .generate import main

sys.exit(main())
