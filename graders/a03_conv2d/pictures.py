"""Moved to `convlab.checking.pictures`, the picture module every assignment uses; kept so that graders
importing it from here keep working."""

from convlab.checking.pictures import GAP, png_bytes, with_picture

__all__ = ["GAP", "png_bytes", "with_picture"]
