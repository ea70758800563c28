"""What the runner needs from pytest beyond its public API, in one place.

pytest passes a test function the arguments its signature names without defaults (its fixtures and
parameters); pytest keeps that list in the private `item._fixtureinfo.argnames`. The runner reads it
from the signature instead, and `tests/test_pytest_adapter.py` pins that both agree on the real
graders, so a pytest upgrade that changes the rule is caught there.
"""

from __future__ import annotations

import inspect

import pytest


def argnames(item: pytest.Function) -> tuple[str, ...]:
    """The names pytest fills in when it calls `item`'s function, in signature order."""
    parameters = inspect.signature(item.function).parameters.values()
    return tuple(p.name for p in parameters
                 if p.default is inspect.Parameter.empty
                 and p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY))
