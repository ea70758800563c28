"""Temporary alias: moved to convlab.dev.demo (issue 13)."""

import sys

import convlab.dev.demo as _module

sys.modules[__name__] = _module
