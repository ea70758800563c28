"""Temporary alias: moved to convlab.engine (issue 13)."""

import sys

import convlab.engine as _module

sys.modules[__name__] = _module
