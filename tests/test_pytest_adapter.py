"""Pins the one place the runner relies on pytest's private state: the arguments pytest passes a
test function are those its signature names without defaults, on every real hidden grader."""

from __future__ import annotations

import pytest

from convlab.course import assignments
from convlab.runner.pytest_adapter import argnames


class _Collect:
    def __init__(self) -> None:
        self.items: list[pytest.Item] = []

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.items.extend(items)


@pytest.mark.parametrize("assignment", [a for a in assignments() if any(a.graders_dir.glob("grade_*.py"))],
                         ids=lambda a: a.id)
def test_signature_arguments_are_what_pytest_passes(assignment):
    collect = _Collect()
    pytest.main([str(assignment.graders_dir), "--collect-only", "-q", "-p", "no:cacheprovider",
                 "-o", "python_files=grade_*.py", "--rootdir", str(assignment.graders_dir)], plugins=[collect])
    functions = [item for item in collect.items if isinstance(item, pytest.Function)]
    assert functions, f"no hidden checks collected in {assignment.graders_dir}"
    for item in functions:
        assert argnames(item) == tuple(item._fixtureinfo.argnames), item.nodeid
