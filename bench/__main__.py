"""python -m bench: the benchmark entry point (see bench/run.py)."""

from bench.run import main

main()
