"""Temporary alias: moved to convlab.runtime.kernel_side (issue 13)."""

import sys

import convlab.runtime.kernel_side as _module

sys.modules[__name__] = _module
