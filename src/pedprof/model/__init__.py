"""Declarations: periods, conditions, indicators, targets, sources, the mechanism, the
profile that gathers them, and the dataset they are computed on. Nothing here reads files
or loads plugins; every other stage builds on these objects."""
