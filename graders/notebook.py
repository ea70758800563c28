"""Temporary alias: moved to convlab.notebook (issue 13)."""

import sys

import convlab.notebook as _module

sys.modules[__name__] = _module
