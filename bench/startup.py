# ruff: noqa: T201
"""Start-up cost of a ``flask`` command (run: ``.venv/bin/python bench/startup.py``).

Every cron job (``flask outbox send``, ``flask rounds advance``), worker boot and test process pays it.
Prints the median wall and CPU time of ``flask --help`` against ``python -c "import flask,
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


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run."""
    cpu, started = _cpu(), time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, _cpu() - cpu


def main() -> None:
    instance = tempfile.mkdtemp(prefix="mam-startup-")
    # With bytecode caches, as in production: PYTHONDONTWRITEBYTECODE (set in some shells and containers)
    # would compile every module of the app from source on every run. They go to a directory of their own.
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
           "PYTHONPYCACHEPREFIX": os.path.join(instance, "pycache"), "MAM_ENV": "development",
           "FLASK_APP": "wsgi", "MAM_INSTANCE_PATH": instance, "DATABASE_URL": f"sqlite:///{instance}/startup.db"}
    floor_cmd = [sys.executable, "-c", "import flask, sqlalchemy"]
    flask_cmd = [FLASK, "--app", "wsgi", "--help"]
    timed(flask_cmd, env)  # the first run writes the bytecode caches
    timed(floor_cmd, env)
    floors, flasks = [], []
    for _ in range(RUNS):  # alternating, so that a busy moment hits both
        floors.append(timed(floor_cmd, env))
        flasks.append(timed(flask_cmd, env))
    floor, command = (statistics.median(wall for wall, _ in floors),
                      statistics.median(wall for wall, _ in flasks))
    floor_cpu, command_cpu = (statistics.median(cpu for _, cpu in floors),
                              statistics.median(cpu for _, cpu in flasks))
    probe = ("import sys, wsgi; print(' '.join(m for m in " + repr(HEAVY)
             + " if m in sys.modules) or 'none')")
    imported = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True).stdout.strip().splitlines()[-1]
    print(f"python -c 'import flask, sqlalchemy': {floor:.3f} s, CPU {floor_cpu:.3f} s (medians of {RUNS})")
    print(f"flask --help: {command:>27.3f} s, CPU {command_cpu:.3f} s (medians of {RUNS})")
    print(f"ratio: {command / floor:.2f} (goal: at most 2); of CPU time: {command_cpu / floor_cpu:.2f} "
          "(steadier on a busy machine)")
    print(f"heavy libraries imported at start-up: {imported}")


if __name__ == "__main__":
    main()
