"""Moved to `graders.pictures`, the picture module every assignment uses; kept so that graders
importing it from here keep working."""

from graders.pictures import GAP, png_bytes, with_picture

__all__ = ["GAP", "png_bytes", "with_picture"]
