"""Temporary alias: moved to convlab.checking.pictures (issue 13)."""

import sys

import convlab.checking.pictures as _module

sys.modules[__name__] = _module
