"""Hidden graders of assignment 07_segmentation."""
