"""Use cases of the commands: lesson files, the problem from the options, defaults, output checks, training runs.

The layer between the library and the command line: it may use every package
below it (model to notes); only :mod:`symback.cli` uses it.
"""
