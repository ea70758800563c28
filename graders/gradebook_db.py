"""Temporary alias: moved to convlab.integration.gradebook_db (issue 13)."""

import sys

import convlab.integration.gradebook_db as _module

sys.modules[__name__] = _module
