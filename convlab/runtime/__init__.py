"""The student's side: a sandboxed kernel per submission and the data-only bridge to it."""
