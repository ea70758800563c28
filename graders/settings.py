"""Temporary alias: moved to convlab.settings (issue 13)."""

import sys

import convlab.settings as _module

sys.modules[__name__] = _module
