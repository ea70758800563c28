"""Temporary alias: moved to convlab.runtime.sandbox (issue 13)."""

import sys

import convlab.runtime.sandbox as _module

sys.modules[__name__] = _module
