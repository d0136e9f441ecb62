"""``python -m pedprof``: the same as the ``pedprof`` command."""

from pedprof.cli import main

main()
