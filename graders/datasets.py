"""The course's generated data sets, loaded once for every assignment's graders.

The shapes generator (`shapes.py`: single shapes for 05's classifier, scenes of several for 06's
detector and 07's segmenter) ships with 05's release and is copied beside 06's and 07's notebooks;
the graders load the one in 05's source folder, so every assignment grades on the same generator.
A module of the grading side only: it is never sent to a kernel.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from types import ModuleType

from convlab import course

SHAPES_ASSIGNMENT = "05_keras_cnn"


@cache
def shapes_module() -> ModuleType:
    """The shapes generator shipped with the release (imported from 05's source folder)."""
    path = course.source_dir(SHAPES_ASSIGNMENT) / "shapes.py"
    spec = importlib.util.spec_from_file_location("convlab_shapes", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
