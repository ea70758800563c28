"""Hidden graders: one package per assignment (`a<assignment>/grade_*.py`), never released.

The engine that runs them is the `convlab` package.
"""
