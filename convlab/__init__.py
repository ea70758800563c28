"""ConvLab: the grading engine, its nbgrader integration, class-scale grading and the CLI."""
