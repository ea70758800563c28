"""Hidden graders of assignment 04_stacked_convs."""
