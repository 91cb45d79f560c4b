# ruff: noqa: T201
"""Start-up cost of a ``flask`` command (run: ``.venv/bin/python bench/startup.py``).

Every cron job (``flask outbox send``, ``flask rounds advance``), worker boot and test process pays it.
Prints the median wall time and peak memory of ``flask --help`` against ``python -c "import flask,
sqlalchemy"`` (the floor any command pays) over several alternating runs, their ratio (goal: at most 2),
and which heavy libraries the app imports when it starts (goal: none of them).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLASK = str(Path(sys.executable).with_name("flask"))
HEAVY = ("icalendar", "weasyprint", "openpyxl", "PIL", "segno", "markdown_it", "pygments")
RUNS = 7


def timed(command: list[str], env: dict) -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    return seconds, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def main() -> None:
    instance = tempfile.mkdtemp(prefix="mam-startup-")
    env = {**os.environ, "MAM_ENV": "development", "FLASK_APP": "wsgi", "MAM_INSTANCE_PATH": instance,
           "DATABASE_URL": f"sqlite:///{instance}/startup.db"}
    floor_cmd = [sys.executable, "-c", "import flask, sqlalchemy"]
    flask_cmd = [FLASK, "--app", "wsgi", "--help"]
    timed(flask_cmd, env)  # the first run writes the bytecode caches
    floors, flasks = [], []
    for _ in range(RUNS):  # alternating, so that a busy moment hits both
        floors.append(timed(floor_cmd, env)[0])
        flasks.append(timed(flask_cmd, env)[0])
    floor, command = statistics.median(floors), statistics.median(flasks)
    probe = ("import sys, wsgi; print(' '.join(m for m in " + repr(HEAVY)
             + " if m in sys.modules) or 'none')")
    imported = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True).stdout.strip().splitlines()[-1]
    print(f"python -c 'import flask, sqlalchemy': {floor:.3f} s (median of {RUNS})")
    print(f"flask --help:                        {command:.3f} s (median of {RUNS})")
    print(f"ratio: {command / floor:.2f} (goal: at most 2)")
    print(f"heavy libraries imported at start-up: {imported}")


if __name__ == "__main__":
    main()
