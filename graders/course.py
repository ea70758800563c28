"""Temporary alias: moved to convlab.course (issue 13)."""

import sys

import convlab.course as _module

sys.modules[__name__] = _module
