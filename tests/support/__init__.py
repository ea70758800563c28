"""Helpers the tests share (no tests here): grading notebooks and classes, in-process students,
a shared kernel, PostgreSQL and Chromium. Test modules import them as `support.<module>`."""
