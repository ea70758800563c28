"""nbgrader integration: the autograde preprocessor, the gradebook, LMS collection."""
