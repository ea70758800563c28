"""Temporary alias: moved to convlab.integration.lms (issue 13)."""

import sys

import convlab.integration.lms as _module

sys.modules[__name__] = _module
