"""The seed of a submission: a number the submission's own code cells determine.

The fresh hidden cases of every check are drawn from it (`convlab.checking.cases`), so the same
notebook always draws the same cases and a regrade gives the same grade. Here, beside the `Student`
that offers it, so running a notebook needs neither pytest nor the graders' API.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def submission_seed(sources: Iterable[str]) -> int:
    """A seed from a submission's code: the same code always gives the same seed."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return int.from_bytes(digest.digest()[:8], "little")
