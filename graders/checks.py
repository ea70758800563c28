"""Temporary alias: moved to convlab.checking.checks (issue 13)."""

import sys

import convlab.checking.checks as _module

sys.modules[__name__] = _module
