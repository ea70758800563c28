"""Temporary alias: moved to convlab.checking.report (issue 13)."""

import sys

import convlab.checking.report as _module

sys.modules[__name__] = _module
