"""Hidden cases shared by every assignment's graders: seeded generators, case ids, and the cases
each submission draws from its own code.

A check runs its fixed cases (the same for every student, seeded by the grader) and then a few
fresh cases drawn from a seed derived from the submission's own code cells. The same notebook
always draws the same fresh cases, so a regrade gives the same grade; an answer that hard-codes the
values the feedback once printed is a different notebook, draws other cases, and fails them.
The seed itself is `convlab.runtime.seed.submission_seed` (offered as `student.submission_seed`).

A check declares its cases with `@cases(FIXED, fresh=generator)` instead of
`@pytest.mark.parametrize("case", FIXED)`: `generator(rng)` returns a list of cases like FIXED's.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

CASES_MARK = "cases"
FRESH_PREFIX = "fresh"

Generator = Callable[[np.random.Generator], Sequence[Any]]


def rng_for(seed: int, source: str | np.random.Generator) -> np.random.Generator:
    """A generator seeded by the assignment's `seed` and a name, or `source` itself if it is one.

    Case builders take either: a name gives the fixed cases, a submission's generator the fresh ones.
    """
    if isinstance(source, np.random.Generator):
        return source
    return np.random.default_rng([seed, sum(map(ord, source))])


def ids(cases: Sequence[Any], prefix: str = "case") -> list[str]:
    return [f"{prefix}{i:02d}" for i in range(len(cases))]


def cases(fixed: Sequence[Any], fresh: Generator | None = None, *, argname: str = "case",
          ids: Sequence[str] | None = None) -> pytest.MarkDecorator:
    """Parametrize a check over `fixed` cases plus the cases `fresh(rng)` draws per submission."""
    return getattr(pytest.mark, CASES_MARK)(list(fixed), fresh=fresh, argname=argname,
                                            ids=None if ids is None else list(ids))


def check_rng(seed: int, check_id: str) -> np.random.Generator:
    """The generator of one check's fresh cases (independent between checks)."""
    return np.random.default_rng([seed, zlib.crc32(check_id.encode())])


def case_values(marker: pytest.Mark, seed: int, check_id: str) -> tuple[str, list[Any], list[str]]:
    """(argument name, cases, ids) of a `cases` marker for the submission with `seed`."""
    fixed = list(marker.args[0])
    fresh_fn = marker.kwargs.get("fresh")
    fresh = list(fresh_fn(check_rng(seed, check_id))) if fresh_fn is not None else []
    fixed_ids = marker.kwargs.get("ids") or ids(fixed)
    return marker.kwargs.get("argname", "case"), fixed + fresh, list(fixed_ids) + ids(fresh, FRESH_PREFIX)


def case_kwargs(function: Callable[..., Any], seed: int) -> list[dict[str, Any]]:
    """Every case of a check function as keyword arguments (for running a check without pytest)."""
    check_id = function.__name__.removeprefix("test_")
    for mark in getattr(function, "pytestmark", []):
        if mark.name == CASES_MARK:
            argname, values, _ = case_values(mark, seed, check_id)
            return [{argname: v} for v in values]
        if mark.name == "parametrize":
            return [{mark.args[0]: v} for v in mark.args[1]]
    return [{}]
