"""python -m ruralgraph: the command line."""

from ruralgraph.cli import main

main()
