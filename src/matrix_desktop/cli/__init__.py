"""The command-line interface on the same services as the GUI."""
