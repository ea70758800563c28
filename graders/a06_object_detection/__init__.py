"""Hidden graders of assignment 06_object_detection."""
