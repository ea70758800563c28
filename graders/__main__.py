"""Temporary alias: `python -m convlab` (issue 13)."""

import sys

from convlab.cli import main

sys.exit(main())
