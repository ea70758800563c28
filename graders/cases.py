"""Temporary alias: moved to convlab.checking.cases (issue 13)."""

import sys

import convlab.checking.cases as _module

sys.modules[__name__] = _module
