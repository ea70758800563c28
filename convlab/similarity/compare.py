"""Every pair of answers to one task, scored by copydetect's winnowing fingerprints.

copydetect (PyPI `copydetect`) tokenizes each answer with Pygments, replaces identifiers by `V`
(variables) and `F` (function names) and strings by `S`, drops comments and white space, and hashes every
k-gram of what is left (winnowing keeps one hash per window; with copydetect's default window of 1, used
here, every hash is kept). Fingerprints found in a task's boilerplate (the
release's stub, the reference solution) are discarded, so code every student may share counts for
nothing. For a pair, copydetect's `compare_files` gives, for each side, the share of its fingerprinted
tokens that the other side also has.

The pair's score is the larger of those two shares: a copy padded with extra code (a function split in
two, helpers added) keeps most of the original inside it, so the original's share stays high while
the padded copy's share drops.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from copydetect import CodeFingerprint, compare_files

from convlab.similarity.extract import Answer

THRESHOLD = 0.5  # see README "Spotting copying": measured by `python -m convlab.dev.bench_similarity`


@dataclass(frozen=True)
class Settings:
    """How answers are fingerprinted and when a pair is flagged.

    noise: k of the k-grams, in characters of copydetect's filtered code (its `noise_t`); shorter
        shared passages are never seen.
    guarantee: a shared passage this long is always seen (copydetect's `guarantee_t`); the winnowing
        window is `guarantee - noise + 1`. Equal to `noise` (window 1, copydetect's default) so that
        every k-gram is kept: with a wider window the kept k-grams depend on Python's string hashes,
        which change from one process to the next, and so would the scores.
    threshold: a pair whose score is at least this is flagged.
    """

    noise: int = 25
    guarantee: int = 25
    threshold: float = THRESHOLD

    @property
    def window(self) -> int:
        return self.guarantee - self.noise + 1


DEFAULT = Settings()


@dataclass(frozen=True)
class PairScore:
    """One compared pair of one task. `share_a`/`share_b`: the share of each side found in the other."""

    task: str
    student_a: str
    student_b: str
    score: float
    flagged: bool
    share_a: float
    share_b: float


def boilerplate_hashes(codes: Sequence[str], settings: Settings) -> np.ndarray:
    """Every k-gram hash of the boilerplate (window 1, as copydetect's own detector does)."""
    hashes: set[int] = set()
    for code in codes:
        hashes |= fingerprint(code, settings, window=1).hashes
    return np.array(sorted(hashes), dtype=np.int64)


def fingerprint(code: str, settings: Settings, boilerplate: np.ndarray | None = None,
                window: int | None = None) -> CodeFingerprint:
    """copydetect's fingerprint of one normalised answer (Python tokenizer, boilerplate removed)."""
    return CodeFingerprint("answer.py", settings.noise, window or settings.window, boilerplate=boilerplate,
                           language="python", fp=io.StringIO(code))


def share_matrix(prints: Sequence[CodeFingerprint]) -> np.ndarray:
    """share[i, j]: the share of answer i's fingerprinted tokens that answer j also has.

    This is copydetect's `compare_files(prints[i], prints[j])` similarity for side i: the number of
    i's tokens inside a kept k-gram whose hash j also has, over i's token coverage. `compare_files`
    costs about 0.4 ms a pair and a class of 200 has 19,900 pairs per task, so here every pair is
    done at once: per answer i, a (answers x tokens) table marks where a k-gram that answer j shares
    starts, and a running sum over k tokens tells which tokens such a k-gram covers.
    `tests/test_similarity.py` checks that both give the same numbers.
    """
    n = len(prints)
    vocab: dict[int, int] = {}
    columns = [np.array([vocab.setdefault(h, len(vocab)) for h in p.hash_idx], dtype=np.int64) for p in prints]
    has = np.zeros((n, len(vocab)), dtype=np.int32)
    for i, cols in enumerate(columns):
        has[i, cols] = 1
    share = np.zeros((n, n))
    for i, p in enumerate(prints):
        if not p.hash_idx or p.token_coverage == 0:
            continue
        k, length = p.k, len(p.filtered_code)
        starts = np.array([s for found in p.hash_idx.values() for s in found], dtype=np.int64)
        column = np.repeat(columns[i], [len(found) for found in p.hash_idx.values()])
        begins = np.zeros((n, length + 1), dtype=np.int32)  # begins[j, t + 1]: a k-gram j shares starts at t
        begins[:, starts + 1] = has[:, column]
        running = np.cumsum(begins, axis=1)
        # token t is covered when a shared k-gram starts in t - k + 1 .. t
        window = running[:, 1:] - np.concatenate([np.zeros((n, k), dtype=running.dtype), running[:, 1:-k]], axis=1) \
            if length > k else running[:, 1:]
        share[i] = (window > 0).sum(axis=1) / p.token_coverage
    np.fill_diagonal(share, 0.0)
    return share


Ranges = list[tuple[int, int]]  # (start, end) character ranges of an answer's code


@dataclass(frozen=True)
class TaskComparison:
    """Every compared pair of one task, as arrays (a class of 200 has 19,900 pairs per task), and the
    shared passages of its top flagged pairs (for the report).

    share[i, j]: the share of answer i's fingerprinted tokens found in answer j. Two archived answers
    are never compared; in a pair with one, this term's student comes first.
    """

    task: str
    students: list[str]
    archived: list[bool]
    share: np.ndarray
    threshold: float
    passages: dict[tuple[str, str], tuple[Ranges, Ranges]]  # (student_a, student_b) -> ranges in a, in b

    def indices(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(i, j, score) of every compared pair, highest score first (then by the students' order)."""
        archived = np.array(self.archived, dtype=bool)
        i, j = np.triu_indices(len(self.students), 1)
        keep = ~(archived[i] & archived[j])
        i, j = i[keep], j[keep]
        swap = archived[i]
        i, j = np.where(swap, j, i), np.where(swap, i, j)
        score = np.maximum(self.share[i, j], self.share[j, i])
        order = np.lexsort((j, i, -score))
        return i[order], j[order], score[order]

    def pairs(self, flagged_only: bool = False) -> list[PairScore]:
        """The compared pairs as rows, highest score first."""
        i, j, score = self.indices()
        if flagged_only:
            keep = score >= self.threshold
            i, j, score = i[keep], j[keep], score[keep]
        return [PairScore(self.task, self.students[a], self.students[b], float(s), bool(s >= self.threshold),
                          float(self.share[a, b]), float(self.share[b, a]))
                for a, b, s in zip(i.tolist(), j.tolist(), score.tolist())]


def compare_task(task: str, answers: Sequence[Answer], boilerplate: Sequence[str],
                 settings: Settings = DEFAULT, views: int = 0) -> TaskComparison:
    """Score every pair of `answers` (all of task `task`), and find the shared passages of the `views`
    highest-scoring flagged pairs.

    Python's `hash` of a string differs between processes, so one task's fingerprints must all be
    made and compared in one process (they are, here).
    """
    bp = boilerplate_hashes(boilerplate, settings)
    # Identical answers (after normalisation) are common on short tasks: fingerprint each text once.
    made = {code: fingerprint(code, settings, bp) for code in {a.code for a in answers}}
    prints = [made[a.code] for a in answers]
    found = TaskComparison(task, [a.student for a in answers], [a.archived for a in answers], share_matrix(prints),
                           settings.threshold, {})
    i, j, score = found.indices()
    for a, b in zip(i[score >= settings.threshold][:views].tolist(), j[score >= settings.threshold][:views].tolist()):
        _, _, (slices_a, slices_b) = compare_files(prints[a], prints[b])
        found.passages[(answers[a].student, answers[b].student)] = (_ranges(slices_a), _ranges(slices_b))
    return found


def _ranges(slices: np.ndarray) -> Ranges:
    if len(slices) == 0 or np.size(slices) == 0:
        return []
    return [(int(s), int(e)) for s, e in zip(slices[0], slices[1])]
