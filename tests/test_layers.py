"""The layers of the engine and the graders: no module imports upward (issue 21).

`convlab/`, lowest first; a module may import its own layer's package and any layer below it:

    results                          what grading found, as data (the leaf: imports nothing)
    settings, registration           kernel limits; what an assignment registers (plain data)
    course                           the one name mapping, the only builder of an assignment's paths
    notebook                         reading source and submitted notebooks
    runtime                          the sandboxed kernel, the bridge, the `student` object
    checking                         what graders import: cases, comparisons, banned-library rules
    runner                           the pytest plugin that runs the graders, the feedback report
    engine                           grade one notebook
    integration, similarity          nbgrader; copying between submissions (neither imports the other)
    batch                            a class at once (uses integration)
    dev                              benchmarks, the demo, the corpus, authoring tools
    cli                              the `convlab` command
    __main__                         `python -m convlab`

Peers (same rank, other package) never import each other. `convlab` never imports the course's own
packages (`graders`, `solutions`): the engine loads graders by name, at run time.

`graders/` sits beside `checking`: a grader module may import what `checking` may, `checking`
itself, `solutions`, its own package, and the modules every assignment shares (`graders/__init__.py`,
`graders/callables.py`, `graders/datasets.py`), never another assignment's package nor the runner,
the engine or anything above them. The `measure_thresholds.py` scripts are developer tools and may
also import `convlab.dev`.

Every `import` counts, also one inside a function; only those under `if TYPE_CHECKING:` do not (they
are annotations, never run: `results.py` names a notebook type and a runtime type that way).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

RANKS = {
    "convlab.results": 0,
    "convlab.settings": 1, "convlab.registration": 1,
    "convlab.course": 2,
    "convlab.notebook": 3,
    "convlab.runtime": 4,
    "convlab.checking": 5,
    "convlab.runner": 6,
    "convlab.engine": 7,
    "convlab.integration": 8, "convlab.similarity": 8,
    "convlab.batch": 9,
    "convlab.dev": 10,
    "convlab.cli": 11,
    "convlab.__main__": 12,
}
GRADERS_RANK = RANKS["convlab.checking"]  # graders import what checking may, and checking
SHARED_GRADERS = {"graders", "graders.callables", "graders.datasets"}
DEV_SCRIPTS = {"measure_thresholds"}  # grader modules that are developer tools


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes under `if TYPE_CHECKING:`."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            skipped |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skipped


def imports(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, dotted module) of every import of a course module (`convlab`, `graders`, `solutions`)
    in the code `source` of the module `module`.

    `from convlab import course` imports the module `convlab.course`; `from convlab.x import name`
    imports `convlab.x` when `name` is not a module of its own.
    """
    tree = ast.parse(source)
    skipped = _type_checking_only(tree)
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package of this module
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.append((node.lineno, full if _is_module(full) else base))
    return [(line, name) for line, name in found if name.split(".")[0] in ("convlab", "graders", "solutions")]


def _rank(module: str) -> tuple[str, int] | None:
    """(its layer's package, rank) of a convlab module; None for the `convlab` package itself."""
    for prefix in sorted(RANKS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return prefix, RANKS[prefix]
    return None


def convlab_violation(importer: str, imported: str) -> str | None:
    if imported.split(".")[0] in ("graders", "solutions"):
        return "the engine never imports the course's own packages (it loads graders by name)"
    if imported == "convlab":
        return None
    mine, theirs = _rank(importer), _rank(imported)
    assert mine is not None, f"{importer}: add its layer to RANKS in tests/test_layers.py"
    assert theirs is not None, f"{imported}: add its layer to RANKS in tests/test_layers.py"
    if mine[0] == theirs[0] or theirs[1] < mine[1]:
        return None
    return f"layer {mine[0]} (rank {mine[1]}) may not import layer {theirs[0]} (rank {theirs[1]})"


def graders_violation(importer: str, imported: str) -> str | None:
    top = imported.split(".")[0]
    if top == "solutions" or imported == "convlab":
        return None
    if top == "graders":
        own = importer.split(".")[:2]
        if imported in SHARED_GRADERS or (importer not in SHARED_GRADERS and imported.split(".")[:2] == own):
            return None
        return "a grader package imports only its own modules and the shared ones (graders/__init__.py's rule)"
    found = _rank(imported)
    assert found is not None, f"{imported}: add its layer to RANKS in tests/test_layers.py"
    if found[1] <= GRADERS_RANK:
        return None
    if found[0] == "convlab.dev" and importer.rsplit(".", 1)[-1] in DEV_SCRIPTS:
        return None
    return f"graders may import convlab up to convlab.checking, not {found[0]}"


def violations(path: Path, source: str | None = None) -> list[str]:
    """'file:line imports module: why' for each upward import of the module at `path` (its code, or `source`)."""
    importer = module_name(path)
    rule = graders_violation if importer.split(".")[0] == "graders" else convlab_violation
    source = path.read_text() if source is None else source
    found = []
    for line, imported in imports(source, importer, path.name == "__init__.py"):
        why = rule(importer, imported)
        if why:
            found.append(f"{path.relative_to(ROOT)}:{line} imports {imported}: {why}")
    return found


def _modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("package", ["convlab", "graders"])
def test_no_module_imports_upward(package):
    found = [v for path in _modules(package) for v in violations(path)]
    assert not found, "upward imports:\n" + "\n".join(found)


def test_every_engine_module_has_a_layer():
    assert all(_rank(module_name(p)) or module_name(p) == "convlab" for p in _modules("convlab"))


@pytest.mark.parametrize("importer, source, why", [
    ("convlab/runtime/student.py", "from convlab.checking.cases import cases\n", "layer convlab.runtime"),
    ("convlab/results.py", "from convlab import engine\n", "layer convlab.results"),
    ("convlab/integration/lms.py", "import convlab.similarity.run\n", "layer convlab.integration"),
    ("convlab/checking/memo.py", "def f():\n    from graders import CALLABLES\n", "course's own packages"),
    ("graders/a07_segmentation/protocol.py", "from graders.a05_keras_cnn.protocol import BANDS\n", "own modules"),
    ("graders/datasets.py", "from graders.a05_keras_cnn import protocol\n", "own modules"),
    ("graders/a02_conv1d/grade_conv1d.py", "from convlab.runner.report import item_html\n", "up to convlab.checking"),
])
def test_an_upward_import_fails_and_is_named(importer, source, why):
    """The rules catch what they must: each import here, added to that module, is reported with its line."""
    path = ROOT / importer
    code = path.read_text()
    found = violations(path, code + "\n" + source)
    assert len(found) == 1 and why in found[0], found
    line = len(code.splitlines()) + 1 + next(i for i, text in enumerate(source.splitlines(), 1) if "import" in text)
    assert found[0].startswith(f"{importer}:{line} imports"), found
