"""Hidden graders of assignment 01_image_tasks (image analytics tasks, box and mask formats)."""

from convlab.registration import Registration

REGISTRATION = Registration()  # plain data only, no library banned
