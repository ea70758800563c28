"""Temporary alias: moved to convlab.runtime.student (issue 13)."""

import sys

import convlab.runtime.student as _module

sys.modules[__name__] = _module
