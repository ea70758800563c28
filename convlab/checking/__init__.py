"""The hidden graders' side: the pytest runner, the graders' API, and the reports."""
