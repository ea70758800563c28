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
    The name enters as a digest of its bytes, so names with the same letters in another order
    (`xyxy_to_xywh`, `xywh_to_xyxy`) draw different cases.
    """
    if isinstance(source, np.random.Generator):
        return source
    return np.random.default_rng([seed, zlib.crc32(source.encode()), len(source)])


def ids(cases: Sequence[Any], prefix: str = "case") -> list[str]:
    return [f"{prefix}{i:02d}" for i in range(len(cases))]


Kind = Callable[[Any], "str | tuple[str, ...]"]


def cases(fixed: Sequence[Any], fresh: Generator | None = None, *, kind: Kind | None = None,
          argname: str = "case", ids: Sequence[str] | None = None) -> pytest.MarkDecorator:
    """Parametrize a check over `fixed` cases plus the cases `fresh(rng)` draws per submission.

    kind: names the kind of a case from its values (`lambda case: "kernel_longer" if ... else "fits"`),
        or several labels at once, one per way cases differ (`(mode, "kernel longer", "int32")`).
        Every label among the fixed cases is drawn again, with new numbers, among the fresh cases of
        every submission (`fresh_cases`; tests/test_fresh_cases.py checks every grader): an edge
        case the fixed list alone held could be passed by copying the value the feedback showed.
    """
    return getattr(pytest.mark, CASES_MARK)(list(fixed), fresh=fresh, kind=kind, argname=argname,
                                            ids=None if ids is None else list(ids))


def labels(classify: Kind | None, case: Any) -> set[str]:
    """The kind labels of one case ({''} when the check declares no kinds)."""
    if classify is None:
        return {""}
    kind = classify(case)
    return {kind} if isinstance(kind, str) else set(kind)


def kinds_of(marker: pytest.Mark, values: Sequence[Any]) -> set[str]:
    """Every kind label of `values` by the marker's `kind` function."""
    classify = marker.kwargs.get("kind")
    return set().union(*(labels(classify, v) for v in values)) if values else set()


def check_rng(seed: int, check_id: str) -> np.random.Generator:
    """The generator of one check's fresh cases (independent between checks)."""
    return np.random.default_rng([seed, zlib.crc32(check_id.encode())])


def case_values(marker: pytest.Mark, seed: int, check_id: str) -> tuple[str, list[Any], list[str]]:
    """(argument name, cases, ids) of a `cases` marker for the submission with `seed`."""
    fixed = list(marker.args[0])
    fresh_fn = marker.kwargs.get("fresh")
    fresh = fresh_cases(marker, check_rng(seed, check_id), check_id) if fresh_fn is not None else []
    fixed_ids = marker.kwargs.get("ids") or ids(fixed)
    return marker.kwargs.get("argname", "case"), fixed + fresh, list(fixed_ids) + ids(fresh, FRESH_PREFIX)


# How many more draws of a fresh generator may be spent looking for a kind it has not drawn yet.
MAX_KIND_DRAWS = 200


def fresh_cases(marker: pytest.Mark, rng: np.random.Generator, check_id: str) -> list[Any]:
    """The generator's fresh cases, plus, for every kind of fixed case they lack, the first case of
    that kind the generator draws next (so each kind is tested with numbers no feedback showed)."""
    fresh_fn = marker.kwargs["fresh"]
    fresh = list(fresh_fn(rng))
    classify = marker.kwargs.get("kind")
    if classify is None:
        return fresh
    missing = kinds_of(marker, marker.args[0]) - kinds_of(marker, fresh)
    for _ in range(MAX_KIND_DRAWS):
        if not missing:
            return fresh
        for case in fresh_fn(rng):
            if found := labels(classify, case) & missing:
                fresh.append(case)
                missing -= found
    if missing:
        raise ValueError(f"check {check_id}: its fresh generator never drew a case of kind(s) {sorted(missing)} "
                         f"in {MAX_KIND_DRAWS} tries: make it able to draw every kind its fixed cases have")
    return fresh


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
