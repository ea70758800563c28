"""Fast unit tests of the engine's pieces: diagnostics, library bans, the data-only bridge and
notebook preparation. No kernel is started here."""

from __future__ import annotations

import ast
import json

import nbformat
import numpy as np
import pytest

from convlab.checking.banned import banned_library_use
from convlab.checking.checks import CheckFailure, Mistake, expect_array, expect_int
from convlab.notebook import BrokenNotebook, load_submission, prepare_submission, read_layout, strip_hidden
from convlab.runtime.bridge import BridgeError, Returned, read_result, write_call
from graders import BANNED_CONVOLUTION
from graders.callables import FunctionSpec


def ret(value, type_name="numpy.ndarray"):
    return Returned(value, type_name, [])


def test_expect_array_accepts_equal_within_tolerance():
    expect_array(ret(np.array([1.0, 2.0 + 1e-9])), np.array([1.0, 2.0]), call="f()")


def test_shape_mismatch_is_named_without_printing_expected():
    expected = np.array([11.5, 22.25, 33.125])
    with pytest.raises(CheckFailure) as err:
        expect_array(ret(np.array([1.0, 2.0])), expected, call="f(x)")
    assert "shape mismatch" in str(err.value) and "(3,)" in str(err.value)
    assert "22.25" not in str(err.value) and "33.125" not in str(err.value)


def test_nan_is_reported_with_its_position():
    with pytest.raises(CheckFailure, match=r"NaN \(first at index \[1\]\)"):
        expect_array(ret(np.array([1.0, np.nan])), np.array([1.0, 2.0]), call="f()")


def test_first_difference_and_max_error_are_reported():
    with pytest.raises(CheckFailure) as err:
        expect_array(ret(np.array([1.0, 2.0, 5.0])), np.array([1.0, 2.0, 3.0]), call="f()")
    msg = str(err.value)
    assert "1 of 3 values differ" in msg and "index [2]" in msg and "max abs error 2" in msg


def test_known_mistake_is_named():
    mistakes = [Mistake("other", "unrelated hint", lambda x: x * 3),
                Mistake("double", "you doubled it", lambda x: x * 2)]
    x = np.array([1.0, 2.0])
    with pytest.raises(CheckFailure, match="Likely mistake: you doubled it") as err:
        expect_array(ret(x * 2), x, call="f(x)", mistakes=mistakes, args=(x,))
    assert err.value.mistake_id == "double", "the mistake travels as data, not only as text"
    with pytest.raises(CheckFailure) as err:
        expect_array(ret(x * 5), x, call="f(x)", mistakes=mistakes, args=(x,))
    assert err.value.mistake_id == ""


def test_type_and_dtype_requirements():
    with pytest.raises(CheckFailure, match="return a numpy ndarray"):
        expect_array(ret([1.0], "list"), np.array([1.0]), call="f()", require_ndarray=True)
    with pytest.raises(CheckFailure, match="dtype int64"):
        expect_array(ret(np.array([1, 2])), np.array([1.0, 2.0]), call="f()", require_float=True)
    with pytest.raises(CheckFailure, match="returned None"):
        expect_array(ret(None, "NoneType"), np.array([1.0]), call="f()")


def test_expect_int_rejects_floats_and_bools():
    expect_int(ret(5, "int"), 5, call="n()")
    with pytest.raises(CheckFailure, match="float"):
        expect_int(ret(5.0, "float"), 5, call="n()")
    with pytest.raises(CheckFailure, match="return an int"):
        expect_int(ret(True, "bool"), 1, call="n()")
    with pytest.raises(CheckFailure, match="expected 4, got 5"):
        expect_int(ret(5, "int"), 4, call="n()")


def _functions(src: str) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in ast.parse(src).body if isinstance(n, ast.FunctionDef)}


def test_banned_library_found_through_helpers_but_own_helpers_allowed():
    src = ("import numpy as np\n"
           "def helper(x, w):\n    return np.convolve(x, w)\n"
           "def conv1d(x, w, mode='full'):\n    return helper(x, w)\n"
           "def convolve(a, b):\n    return a\n"
           "def correlate1d(x, w, mode='valid'):\n    return convolve(x, w)\n")
    funcs = _functions(src)
    assert banned_library_use(funcs, "conv1d", (), BANNED_CONVOLUTION) == ["np.convolve"]
    assert banned_library_use(funcs, "correlate1d", (), BANNED_CONVOLUTION) == []
    assert banned_library_use(funcs, "correlate1d", ["scipy.signal"], BANNED_CONVOLUTION) == ["scipy.signal"]


def test_banned_tables_come_from_the_assignments_registration_only():
    from convlab.checking.banned import UnregisteredTable, banned_calls
    from convlab.registration import Registration
    from convlab.runtime.bridge import RecordedCalls

    funcs = _functions("import numpy as np\ndef conv1d(x, w):\n    return np.convolve(x, w)\n")
    recorded = RecordedCalls(["numpy.convolve"], Registration(banned=(BANNED_CONVOLUTION,)))
    # Without a table: the one the assignment registered.
    assert [u.label for u in banned_calls(funcs, "conv1d", recorded)] == ["np.convolve"]
    # A table whose names the kernel never watched: a grader bug, said so, never a silent pass.
    with pytest.raises(UnregisteredTable, match="sklearn"):
        banned_calls(funcs, "conv1d", recorded, {"scikit-learn": ("sklearn",)})
    # The engine has no table of its own.
    with pytest.raises(UnregisteredTable, match="pass the banned table"):
        banned_library_use(funcs, "conv1d")
    with pytest.raises(UnregisteredTable, match="0 are registered"):
        banned_calls(funcs, "conv1d", RecordedCalls([], Registration()))
    # Reading the code only (no recorded calls) needs no registration.
    assert banned_library_use(funcs, "conv1d", (), {"scikit-learn": ("sklearn",)}) == []


def test_bridge_round_trip_and_refusals(tmp_path):
    call_dir = tmp_path / "c1"
    write_call(call_dir, (np.arange(3), [1, 2], FunctionSpec("box", {"lo": 0, "hi": 1})), {"mode": "same"})
    spec = json.loads((call_dir / "call.json").read_text())
    assert spec["kwargs"] == {"mode": "same"}
    assert spec["args"][2] == {"__kind__": "function", "payload": {"kind": "box", "params": {"lo": 0, "hi": 1}}}
    np.save(call_dir / "r1.npy", np.array([1.5, 2.5]))
    (call_dir / "result.json").write_text(json.dumps(
        {"status": "ok", "value": {"__ndarray__": "r1.npy", "type": "numpy.ndarray"}, "library_calls": []}))
    outcome = read_result(call_dir)
    assert outcome.returned.value.tolist() == [1.5, 2.5]
    # An object array needs pickle: it must be refused, never unpickled.
    np.save(call_dir / "r2.npy", np.array([object()], dtype=object), allow_pickle=True)
    (call_dir / "result.json").write_text(json.dumps(
        {"status": "ok", "value": {"__ndarray__": "r2.npy"}, "library_calls": []}))
    with pytest.raises(BridgeError):
        read_result(call_dir)
    (call_dir / "result.json").write_text(json.dumps(
        {"status": "ok", "value": {"__ndarray__": "../../etc/passwd"}, "library_calls": []}))
    with pytest.raises(BridgeError):
        read_result(call_dir)


def test_function_spec_is_evaluated_the_same_on_both_sides():
    box = FunctionSpec("box", {"lo": -1.0, "hi": 1.0, "height": 2.0})
    assert box(np.array([-2.0, 0.0, 1.0, 1.5])).tolist() == [0.0, 2.0, 2.0, 0.0]


def test_broken_notebooks_get_readable_reasons(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text('{"cells": [')
    with pytest.raises(BrokenNotebook, match="not valid JSON"):
        load_submission(bad)
    bad.write_text('{"hello": 1}')
    with pytest.raises(BrokenNotebook, match="not a valid notebook"):
        load_submission(bad)
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(BrokenNotebook, match="UTF-8"):
        load_submission(bad)


def _cell(kind, source, **meta):
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if meta:
        cell.metadata["nbgrader"] = meta
    return cell


def test_prepare_restores_locked_cells_and_drops_tests():
    source = nbformat.v4.new_notebook(cells=[
        _cell("code", "import numpy as np", grade_id="imports", locked=True),
        _cell("code", "def f():\n    pass", grade_id="f", solution=True),
        _cell("code", "f()\n### BEGIN HIDDEN TESTS\n# checks: f_ok\n### END HIDDEN TESTS",
              grade_id="test_f", grade=True, points=2, locked=True),
    ])
    layout = read_layout(source)
    assert [(i.grade_id, i.points, i.checks) for i in layout.items] == [("test_f", 2.0, ("f_ok",))]
    sub = nbformat.v4.new_notebook(cells=[
        _cell("code", "import os; os._exit(1)", grade_id="imports", locked=True),
        _cell("code", "def f():\n    return 1", grade_id="f", solution=True),
        _cell("code", "def f():\n    return 2", grade_id="f", solution=True),
    ])
    prepared = prepare_submission(sub, layout)
    assert [c.source for c in prepared.cells] == ["import numpy as np", "def f():\n    return 1",
                                                  "def f():\n    return 2"]
    notes = " ".join(prepared.notes)
    assert "read-only cell 'imports' was edited" in notes and "appears twice" in notes
    assert "test cell 'test_f' was deleted" in notes


def test_strip_hidden_leaves_only_the_visible_part():
    src = "check()\n### BEGIN HIDDEN TESTS\n# checks: secret_check\n### END HIDDEN TESTS\n"
    assert "secret_check" not in strip_hidden(src) and strip_hidden(src).startswith("check()\n")


def test_failure_pictures_reach_the_feedback_as_image_outputs():
    from convlab.integration.nbgrader_plugin import write_results
    from convlab.results import CheckResult, ItemResult, NotebookResult
    from convlab.runner.pytest_plugin import pictures_of
    from convlab.runner.report import item_html

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    failure = CheckFailure("3 of 9 values differ")
    failure.images = [png, b"not a png", png, png]
    assert pictures_of(failure) == [png, png], "only PNGs, at most two"
    assert pictures_of(CheckFailure("plain")) == []

    check = CheckResult("conv2d_modes", "", 0.5, 1.0, 1, 2, "3 of 9 values differ", [png])
    item = ItemResult("test_conv2d", 1.0, [check])
    cell = nbformat.v4.new_code_cell("visible()\n### BEGIN HIDDEN TESTS\n# checks: conv2d_modes\n### END HIDDEN TESTS\n")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "test_conv2d", "points": 1}
    nb = nbformat.v4.new_notebook(cells=[cell])
    write_results(nb, NotebookResult("03_conv2d", "conv2d", [item]))
    kinds = [(o.output_type, sorted(o.get("data", {}))) for o in nb.cells[0].outputs]
    assert ("display_data", ["image/png", "text/plain"]) in kinds
    assert nb.cells[0].outputs[-1].output_type == "execute_result", "the score stays the last value"
    html = item_html(item)
    assert "data:image/png;base64," not in html and "(picture below)" in html, "each picture is shown once"


def test_a_check_names_the_failed_check_it_relies_on_and_carries_the_mistake_id():
    from convlab.engine import _score_item
    from convlab.notebook import GradedItem
    from convlab.results import CaseResult, CheckOutcome, Reliance

    pool = CheckOutcome("avg_pool2d_same", cases=[CaseResult(False, "2 of 9 values differ", mistake_id="full_window")])
    forward = CheckOutcome("cnn_forward_network", cases=[CaseResult(True), CaseResult(False, "values differ")],
                           relies_on=(Reliance("avg_pool2d", ("avg_pool2d_valid", "avg_pool2d_same"), "cnn_forward"),))
    valid = CheckOutcome("avg_pool2d_valid", cases=[CaseResult(True)])
    outcomes = {o.check_id: o for o in (pool, forward, valid)}
    item = GradedItem("test_cnn_forward", 2.0, ["cnn_forward_network"])

    [built_on] = _score_item(item, outcomes, "", calls=lambda caller, function: True).checks
    assert built_on.message.startswith("This check uses your `avg_pool2d`, which failed its check `avg_pool2d_same`")
    assert built_on.relies_on == ["avg_pool2d_valid", "avg_pool2d_same"] and built_on.blocked_by == ["avg_pool2d_same"]
    [own] = _score_item(item, outcomes, "", calls=lambda caller, function: False).checks
    assert own.message == "values differ" and own.blocked_by == [], \
        "a caller that does not use the function is not blamed on it"
    [pooled] = _score_item(GradedItem("test_pool", 1.0, ["avg_pool2d_same"]), outcomes, "").checks
    assert pooled.mistake_id == "full_window"


def test_calls_function_follows_the_students_own_helpers():
    import ast

    from convlab.checking.code_reading import calls_function

    tree = ast.parse("def pool(x): return x\ndef block(x): return pool(x)\ndef forward(x): return block(x)\n"
                     "def alone(x): return x\n")
    functions = {f.name: f for f in tree.body}
    assert calls_function(functions, "forward", "pool") and not calls_function(functions, "alone", "pool")


def test_banned_calls_name_what_was_written_not_the_librarys_internals():
    import ast

    from convlab.checking.banned import banned_calls, banned_use_message

    tree = ast.parse("import numpy as np\ndef conv1d(x, w, mode='full'):\n    return np.convolve(x, w, mode)\n"
                     "def loops(x, w):\n    return x\n")
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    # np.convolve calls np.correlate inside numpy: the kernel's profiler records both.
    uses = banned_calls(functions, "conv1d", ["numpy.convolve", "numpy.correlate"], BANNED_CONVOLUTION)
    assert [u.describe() for u in uses] == ["np.convolve (line 2 of conv1d)"], "the label is not repeated"
    assert "np.correlate" not in banned_use_message("conv1d", uses, "no library")
    assert banned_calls(functions, "loops", [], BANNED_CONVOLUTION) == []


def test_library_errors_reach_the_feedback_as_one_readable_line():
    from convlab.runtime.outputs import readable_error

    keras = ("ValueError: Exception encountered when calling Reshape.call().\n\n\x1b[1mThe total size of the new "
             "array must be unchanged, input_shape = [8, 8, 24], output_shape = [8, 8, 3, 9]\x1b[0m\n\n"
             "Arguments received by Reshape.call():\n  • inputs=tf.Tensor(shape=(None, 8, 8, 24))")
    assert readable_error(keras) == ("ValueError: The total size of the new array must be unchanged, "
                                     "input_shape = [8, 8, 24], output_shape = [8, 8, 3, 9]")
    assert readable_error("IndexError: index 5 is out of bounds") == "IndexError: index 5 is out of bounds"
    assert readable_error("the kernel died (crash, exit or out of memory)") == "the kernel died (crash, exit or out of memory)"


def test_a_test_cell_keeps_what_its_visible_checks_printed_but_not_their_traceback():
    from convlab.integration.nbgrader_plugin import write_results
    from convlab.notebook import StudentCell
    from convlab.results import CheckResult, ItemResult, NotebookResult
    from convlab.runtime.kernel import ExecResult
    from convlab.runtime.student import CellRun

    cell = nbformat.v4.new_code_cell("print(iou)\nassert ok\n### BEGIN HIDDEN TESTS\n# checks: m\n### END HIDDEN TESTS\n")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "test_m", "points": 1}
    printed = nbformat.v4.new_output("stream", name="stdout", text="with skips mean IoU 0.801\n")
    traceback = nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=["..."])
    run = CellRun(StudentCell(0, cell.source), ExecResult("error", [printed, traceback], "AssertionError: "))
    nb = nbformat.v4.new_notebook(cells=[cell])
    item = ItemResult("test_m", 1.0, [CheckResult("m", "", 1.0, 1.0, 1, 1, "")])
    write_results(nb, NotebookResult("07_segmentation", "segmentation", [item], cell_runs=[run]))
    kinds = [o.output_type for o in nb.cells[0].outputs]
    assert nb.cells[0].outputs[0].text == "with skips mean IoU 0.801\n", "the printed IoUs stay visible"
    assert "error" not in kinds and kinds[-1] == "execute_result"


def test_mistake_rows_as_the_guide_writes_them_name_the_mistake():
    import numpy as np

    from convlab.checking.checks import expect_array
    from convlab.runtime.bridge import Returned

    rows = [("doubled", "every value is doubled.", lambda x: 2 * np.asarray(x))]  # a plain tuple, as in the guide
    with pytest.raises(CheckFailure) as failed:
        expect_array(Returned(np.array([2.0, 4.0]), "numpy.ndarray", [], None), np.array([1.0, 2.0]), call="f(x)",
                     mistakes=rows, args=([1.0, 2.0],))
    assert failed.value.mistake_id == "doubled" and "every value is doubled" in str(failed.value)


@pytest.mark.parametrize("row", [("no_fn", "hint", None), ("", "hint", abs), ("two parts", abs), "text"])
def test_a_malformed_mistake_row_is_an_error_when_the_graders_load(row):
    from convlab.checking.checks import mistakes_from

    with pytest.raises(TypeError, match="mistake row 0"):
        mistakes_from([row])


def test_every_assignments_mistake_table_is_well_formed():
    import importlib

    from convlab import course
    from convlab.checking.checks import mistakes_from

    for assignment in course.assignments():
        table = importlib.import_module(f"{assignment.graders_package}.mistakes").MISTAKES
        for function, rows in table.items():
            assert mistakes_from(rows), f"{assignment.id} {function}: an empty mistake table"
