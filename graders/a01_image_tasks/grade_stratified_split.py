"""Hidden graders of 01_image_tasks, stratified_split: train, validation and test sets that keep the
class proportions. Many splits are right, so the checks test the properties, not one split."""

from __future__ import annotations

from typing import Any

import numpy as np

from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure
from graders.a01_image_tasks import cases as C

SPLITS = C.split_cases("stratified_split")
NAMES = ("train", "validation", "test")


def _split_call(student, labels: Any, fractions: tuple, seed: int) -> tuple[list[np.ndarray], str]:
    n = len(labels)
    call = f"stratified_split({n} labels in {len(set(np.asarray(labels).tolist()))} classes, fractions={fractions}, seed={seed})"
    got = student.call("stratified_split", labels, fractions, seed)
    value = got.value
    if not isinstance(value, list) or len(value) != 3:
        raise CheckFailure(f"{call} returned a {got.type_name}; return three index arrays (train, validation, test)")
    parts = []
    for name, part in zip(NAMES, value, strict=True):
        arr = np.asarray(part)
        if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
            raise CheckFailure(f"{call}: the {name} set is not a 1D integer index array")
        parts.append(arr.astype(np.int64))
    return parts, call


@cases(SPLITS, fresh=lambda rng: C.split_cases(rng, 2), kind=C.split_kind)
def test_stratified_split_partition(student, case):
    """stratified_split returns three sorted index arrays that are disjoint and cover every sample once."""
    labels, fractions, seed = case
    parts, call = _split_call(student, labels, fractions, seed)
    everything = np.concatenate(parts)
    if len(np.unique(everything)) != len(everything):
        raise CheckFailure(f"{call}: a sample appears in more than one split (or twice in one): the splits leak")
    if sorted(everything.tolist()) != list(range(len(labels))):
        raise CheckFailure(f"{call}: the splits do not cover every index 0..N-1 exactly once")
    for name, part in zip(NAMES, parts, strict=True):
        if np.any(np.diff(part) <= 0):
            raise CheckFailure(f"{call}: the {name} indices are not sorted")


@cases(SPLITS, fresh=lambda rng: C.split_cases(rng, 2), kind=C.split_kind)
def test_stratified_split_counts(student, case):
    """Each class puts floor or ceil of n_class * fraction samples in each split; each split is within one of N * fraction."""
    labels, fractions, seed = case
    parts, call = _split_call(student, labels, fractions, seed)
    labels_arr = np.asarray(labels)
    for name, part, f in zip(NAMES, parts, fractions, strict=True):
        if np.any(part < 0) or np.any(part >= len(labels_arr)):
            raise CheckFailure(f"{call}: the {name} set holds indices outside 0..N-1")
        for cls in np.unique(labels_arr):
            n_c = int((labels_arr == cls).sum())
            count = int((labels_arr[part] == cls).sum())
            lo, hi = np.floor(n_c * f + 1e-9), np.ceil(n_c * f - 1e-9)
            if not lo <= count <= hi:
                raise CheckFailure(
                    f"{call}: a class of {n_c} samples has {count} in the {name} set, but {n_c} x {f} = "
                    f"{n_c * f:g}: class proportions not preserved (each count must be the floor or the ceiling; "
                    "rounding every class down and putting the rest in the last split breaks this)")
    for name, part, f in zip(NAMES, parts, fractions, strict=True):
        if abs(len(part) - len(labels_arr) * f) > 1 + 1e-9:
            raise CheckFailure(
                f"{call}: the {name} set has {len(part)} samples, more than one away from N x {f} = "
                f"{len(labels_arr) * f:g}: split sizes drift when every class rounds the same way; give each "
                "class's leftover samples to the splits that lag their target most")


@cases(SPLITS[:4], fresh=lambda rng: C.split_cases(rng, 1), kind=C.split_kind)
def test_stratified_split_seed(student, case):
    """stratified_split gives the same split for the same seed and a different one for other seeds."""
    labels, fractions, seed = case
    first, call = _split_call(student, labels, fractions, seed)
    again, _ = _split_call(student, labels, fractions, seed)
    if any(not np.array_equal(a, b) for a, b in zip(first, again, strict=True)):
        raise CheckFailure(f"{call} gave two different splits for the same seed: use np.random.default_rng(seed)")
    others = [_split_call(student, labels, fractions, s)[0] for s in (seed + 1, seed + 2, seed + 3)]
    if all(all(np.array_equal(a, b) for a, b in zip(first, other, strict=True)) for other in others):
        raise CheckFailure(f"{call} gives the same split for seeds {seed}..{seed + 3}: the seed is ignored "
                           "(shuffle with np.random.default_rng(seed))")
