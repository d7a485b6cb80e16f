"""The loader against the raw bulk path, each as a whole process: wall and CPU time, same file, same run.

    python -m bench.load_vs_raw FILE [FILE …] [--runs 3]

Each run starts ``ruralgraph load FILE --db NEW.kgl`` (into an empty store) and ``python -m bench.raw
FILE NEW.kgl`` (orjson parse → DataFrames → ``add_nodes`` / ``add_relationships`` → save) as fresh
processes, one after the other, so start-up, imports and the save count for both, and a busy
machine slows both alike; each one's peak memory is its own (``wait4``). It prints the median of
each and the loader's speed as a share of the raw path's (``loader ÷ raw``, 1.0 = as fast), and the
seconds the case-file models alone take to check the file's records (``models_seconds``): what a loader
that validates with them cannot do without.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def whole_process(command: list[str]) -> dict[str, float]:
    """Wall seconds, CPU seconds (user + system) and peak memory (MiB) of one child process run to its end."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, command)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}


def models_seconds(path: Path) -> dict[str, float]:
    """The case-file models alone: every record of the file checked by one pydantic-core call per model
    and batch, as pass 1 does, timed with nothing else (the lines are parsed outside the timer; no index,
    no write). What no loader that validates with these models can do without."""
    from itertools import islice

    import orjson
    from pydantic import TypeAdapter

    from ruralgraph.loading.load import collector_paused
    from ruralgraph.model import MODEL_BY_LABEL, Relationship
    from ruralgraph.readers.jsonlines import BATCH_LINES

    adapters: dict[type, TypeAdapter[list[Any]]] = {}
    seconds = 0.0
    records = 0
    with path.open("rb") as handle, collector_paused():
        while batch := list(islice(handle, BATCH_LINES)):
            groups: dict[type, list[dict[str, Any]]] = {}
            for line in batch:
                row = orjson.loads(line)
                model = MODEL_BY_LABEL[row.pop("label")] if "label" in row else Relationship
                groups.setdefault(model, []).append(row)
            records += len(batch)
            start = time.perf_counter()
            for model, rows in groups.items():
                adapter = adapters.get(model) or adapters.setdefault(model, TypeAdapter(list[model]))  # type: ignore[valid-type]
                adapter.validate_python(rows)
            seconds += time.perf_counter() - start
    return {"seconds": seconds, "records": records}


def compare(path: Path, runs: int) -> dict[str, Any]:
    """``runs`` alternating runs of the loader and the raw path on ``path``; their medians and ratios."""
    samples: dict[str, list[dict[str, float]]] = {"loader": [], "raw": []}
    with tempfile.TemporaryDirectory(prefix="ruralgraph-load-vs-raw-") as work:
        for run in range(runs):
            loader_db = Path(work) / f"loader-{run}.kgl"
            raw_db = Path(work) / f"raw-{run}.kgl"
            loader = [sys.executable, "-m", "ruralgraph", "load", str(path), "--db", str(loader_db)]
            samples["loader"].append(whole_process(loader))
            samples["raw"].append(whole_process([sys.executable, "-m", "bench.raw", str(path), str(raw_db)]))
            loader_db.unlink()
            raw_db.unlink()
    models = models_seconds(path)  # in this process, after the runs: a part of pass 1, not a whole process
    medians = {
        name: {key: round(statistics.median(s[key] for s in runs_of), 2) for key in ("wall", "cpu", "peak_mib")}
        for name, runs_of in samples.items()
    }
    return {
        "file": str(path),
        "runs": runs,
        **medians,
        "loader_vs_raw_wall": round(medians["raw"]["wall"] / medians["loader"]["wall"], 3),
        "loader_vs_raw_cpu": round(medians["raw"]["cpu"] / medians["loader"]["cpu"], 3),
        "models_alone": models,
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> None:
    """Compare on each file and print the figures as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    for path in args.files:
        print(json.dumps(compare(path, args.runs)), flush=True)


if __name__ == "__main__":
    main()
