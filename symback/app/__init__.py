"""Use cases shared by the command line and the notes: lesson files, defaults, output checks."""
