"""Hidden graders of 01_image_tasks, task_of: the task an annotation record belongs to."""

from __future__ import annotations

from convlab.checking.cases import cases
from convlab.checking.checks import CheckFailure, raising_mistakes
from convlab.runtime.student import StudentError
from graders.a01_image_tasks import cases as C
from graders.a01_image_tasks.cases import CHECK


@cases(C.TASK_RECORDS, fresh=C.task_records, kind=C.record_kind)
def test_task_of_records(student, case):
    """task_of on records with extra keys, empty box lists, and several annotation keys at once."""
    call = f"task_of({C.describe_record(case)})"
    try:
        CHECK.expect_call(student, "task_of", case, describe=call)
    except StudentError as exc:
        if not exc.raised("ValueError"):
            raise
        # Raising where the reference returns: the mistakes that raise too name it.
        raise CheckFailure.naming(f"{call} raised ValueError, expected {C.ref.task_of(case)!r}.",
                                  raising_mistakes(CHECK.mistakes_of("task_of"), (case,), None, "ValueError")) from None


@cases(C.TASK_INVALID, fresh=C.invalid_records, kind=C.invalid_kind)
def test_task_of_invalid(student, case):
    """task_of raises ValueError for a dict without 'mask', 'boxes' or 'label'."""
    CHECK.expect_call(student, "task_of", case, describe=f"task_of({C.describe_record(case)})")
