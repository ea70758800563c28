"""Temporary alias: moved to convlab.dev.bench (issue 13)."""

import sys

import convlab.dev.bench as _module

sys.modules[__name__] = _module
