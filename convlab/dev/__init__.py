"""Developer tools: benchmarks, the demo class, the corpus of typical answers, notebook sync,
threshold measurements."""
