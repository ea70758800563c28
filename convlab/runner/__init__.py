"""The engine's side of the hidden graders: it runs them and reports what they found.

`pytest_plugin` runs an assignment's graders in the grading process and records each case's outcome
(`convlab.results.CheckOutcome`); `pytest_adapter` is the one module that knows pytest beyond its
public API; `report` turns a scored notebook into the feedback's text, HTML and JSON. Graders never
import this package: what they import is `convlab.checking`.
"""
