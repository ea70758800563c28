"""Reference solutions of the ConvLab assignments, one module per assignment."""
