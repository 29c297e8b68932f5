"""The exchange file format, its validation and merge."""
