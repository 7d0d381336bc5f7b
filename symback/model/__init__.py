"""The model: user text -> a Problem (the parser, the functions a model may call, the data)."""
