"""The graders' API: what a hidden grader imports to declare its cases and compare the student's results.

`cases` (fixed and per-submission cases), `checks` and `calls` (comparisons and their failures),
`banned` (no-library rules), `code_reading` (what the student's code calls), `memo` (one expensive
call per submission), `pictures` (failure pictures). The engine's pytest runner and the feedback
report that read the graders' results are `convlab.runner`.
"""
