"""Which known mistake a failed check names: the one that explains the most of its failed cases.

Each failed case lists every row of the mistake table that reproduces it. Naming the first case's
first match would blame a mistake that only coincides with the right one on that case (a
receptive field that ignores dilation gives the same number as one that ignores strides when the
first case has neither); counting over all failed cases names the mistake the student made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from convlab.results import CaseResult


def _ids(case: CaseResult) -> list[str]:
    if case.candidates:
        return [mistake_id for mistake_id, _ in case.candidates]
    return [case.mistake_id] if case.mistake_id else []


def named_mistake(failures: Sequence[CaseResult]) -> tuple[str, str]:
    """(mistake id, message) of a check's failed cases.

    The id is the mistake that reproduces the most failed cases (ties: the first failure's order,
    which is the table's, specific before generic); none when it reproduces only one case while
    more failed (a coincidence, not an explanation). The message is the first failed case's that
    the mistake reproduces, ending with that mistake's hint; with no mistake, the first failure's.
    """
    if not failures:
        return "", ""
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}
    for case in failures:
        for mistake_id in dict.fromkeys(_ids(case)):
            counts[mistake_id] += 1
            order.setdefault(mistake_id, len(order))
    best = min(counts, key=lambda m: (-counts[m], order[m]), default="")
    if best and counts[best] == 1 and len(failures) > 1:
        best = ""
    if not best:
        first = failures[0]
        return "", first.base if first.candidates else first.message
    shown = next(c for c in failures if best in _ids(c))
    if not shown.candidates:
        return best, shown.message  # a failure built by hand carries its own hint in its message
    hint = dict(shown.candidates)[best]
    return best, f"{shown.base} Likely mistake: {hint}"
