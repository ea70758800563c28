"""Temporary alias: moved to convlab.batch.class_report (issue 13)."""

import sys

import convlab.batch.class_report as _module

sys.modules[__name__] = _module
