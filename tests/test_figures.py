"""Figures survive grading: TAs grade the hand-graded questions from them in formgrader, and students
see them in their feedback. A notebook that draws without end cannot blow up the gradebook."""

from __future__ import annotations

import pytest
from support.grading import NOTEBOOKS, graded_reference

from convlab.runtime.kernel import StudentKernel
from convlab.runtime.outputs import MAX_FIGURES_PER_CELL


def _draws(source: str) -> bool:
    return "plt." in source or ".imshow(" in source or "show_" in source


@pytest.mark.slow
@pytest.mark.parametrize("assignment", sorted(NOTEBOOKS))
def test_every_plot_cell_of_the_reference_keeps_its_figure(assignment):
    result = graded_reference(assignment)
    plot_runs = [run for run in result.cell_runs if _draws(run.cell.source) and "def " not in run.cell.source]
    if not plot_runs:
        pytest.skip(f"{assignment} draws no figure")
    missing = [run.cell.index + 1 for run in plot_runs
               if not any("image/png" in out.get("data", {}) for out in run.result.outputs)]
    assert not missing, f"{assignment}: plot cells without a PNG output after grading: {missing}"


def test_figures_beyond_the_budget_become_one_line_notes():
    code = (
        "import matplotlib.pyplot as plt\n"
        f"for i in range({MAX_FIGURES_PER_CELL + 3}):\n"
        "    plt.plot([0, i])\n"
        "    plt.show()\n"
    )
    with StudentKernel() as kernel:
        result = kernel.execute(code, timeout=60)
    assert result.ok, result.error
    pngs = [o for o in result.outputs if "image/png" in o.get("data", {})]
    notes = [o for o in result.outputs if "not kept" in o.get("text", "")]
    assert len(pngs) == MAX_FIGURES_PER_CELL
    assert len(notes) == 3
