"""What the runner needs from pytest beyond its public API, in one place.

pytest passes a test function the arguments its signature names without defaults (its fixtures and
parameters); pytest keeps that list in the private `item._fixtureinfo.argnames`. The runner reads it
from the signature instead, and `tests/test_pytest_adapter.py` pins that both agree on the real
graders, so a pytest upgrade that changes the rule is caught there.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import pytest


def argnames(item: pytest.Function) -> tuple[str, ...]:
    """The names pytest fills in when it calls `item`'s function, in signature order."""
    return _argnames(item.function)


@functools.lru_cache(maxsize=4096)
def _argnames(function: Callable[..., object]) -> tuple[str, ...]:
    # Asked several times for each of a check's cases: one signature per function is enough.
    parameters = inspect.signature(function).parameters.values()
    return tuple(p.name for p in parameters
                 if p.default is inspect.Parameter.empty
                 and p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY))
