"""Temporary alias: moved to convlab.runtime.bridge (issue 13)."""

import sys

import convlab.runtime.bridge as _module

sys.modules[__name__] = _module
