"""Temporary alias: moved to convlab.runtime.kernel (issue 13)."""

import sys

import convlab.runtime.kernel as _module

sys.modules[__name__] = _module
