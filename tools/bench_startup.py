"""Start-up benchmark: ``cedbot --version`` and the first reply to ``/help`` in a piped chat.

Each is timed against ``python -c pass`` on the same machine, run in turn so drift in the
machine's speed hits all three alike; medians are printed. The chat runs in a fresh folder
(its own SQLite file), warmed once so the schema and the sample data are in place.

    python tools/bench_startup.py [--runs 7] [--cedbot "cedbot"]
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence


def run_once(command: Sequence[str], cwd: str) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def first_reply(command: Sequence[str], cwd: str) -> float:
    """Seconds from starting a piped chat to the first line of its answer to /help."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "chat", "--user", "bench"],
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"/help\n")
    proc.stdin.flush()
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.stdin.close()
    proc.stdout.read()
    proc.wait(timeout=60)
    if not line:
        raise SystemExit("the chat printed nothing: is the command right?")
    return elapsed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cedbot", default=shutil.which("cedbot") or "cedbot", help="how to start cedbot")
    args = parser.parse_args(argv)
    cedbot = shlex.split(args.cedbot)
    python = [sys.executable, "-c", "pass"]
    times: dict[str, list[float]] = {"python -c pass": [], "cedbot --version": [], "first reply to /help": []}
    with tempfile.TemporaryDirectory() as folder:
        os.environ.pop("CEDBOT_DATABASE_URL", None)
        first_reply(cedbot, folder)  # warm-up: creates the database and loads the samples
        for _ in range(args.runs):
            times["python -c pass"].append(run_once(python, folder))
            times["cedbot --version"].append(run_once([*cedbot, "--version"], folder))
            times["first reply to /help"].append(first_reply(cedbot, folder))
    base = statistics.median(times["python -c pass"])
    for name, values in times.items():
        median = statistics.median(values)
        spread = f"min {min(values):.3f}, max {max(values):.3f}"
        print(f"{name:<22} median {median:6.3f} s  ({spread}; {median / base:5.1f}x python)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
