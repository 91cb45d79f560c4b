"""The tally engine is pure: standard library only, nothing from flask, sqlalchemy or the app."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "app" / "votes" / "tally"
MODULES = sorted(PACKAGE.glob("*.py"))
ALLOWED = set(sys.stdlib_module_names)


def imported_names(path: Path) -> list[tuple[str, int]]:
    """(absolute module name, relative level) of every import in a module."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append((node.module or "", node.level))
    return out


def test_package_has_modules():
    names = {p.stem for p in MODULES}
    assert {"__init__", "model", "engine", "equal_shares", "greedy", "pabulib", "validate"} <= names


def test_only_stdlib_and_relative_imports():
    bad = []
    for path in MODULES:
        for name, level in imported_names(path):
            if level > 1:
                bad.append((path.name, "." * level + name))  # reaching out of the package
            elif level == 0 and name.split(".")[0] not in ALLOWED:
                bad.append((path.name, name))
    assert bad == []


def test_no_dynamic_imports():
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        assert "__import__" not in text and "importlib" not in text, path.name


_PROBE = r"""
import json, sys, types
root = sys.argv[1]
# Stand-in parents so that app/__init__.py and app/votes/__init__.py (which use flask) do not run:
for name, sub in (("app", "app"), ("app.votes", "app/votes")):
    module = types.ModuleType(name)
    module.__path__ = [root + "/" + sub]
    sys.modules[name] = module
before = set(sys.modules)
import app.votes.tally as t
t.tally  # noqa: B018
after = set(sys.modules) - before
print(json.dumps(sorted(after)))
"""


def test_importing_pulls_in_nothing_forbidden():
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    loaded = json.loads(out.stdout)
    assert "app.votes.tally" in loaded
    forbidden = [
        m
        for m in loaded
        if m.split(".")[0] in {"flask", "sqlalchemy", "werkzeug", "pabutools", "click", "jinja2"}
        or (m.startswith("app.") and not m.startswith("app.votes.tally"))
    ]
    assert forbidden == []
    third_party = [m for m in loaded if m.split(".")[0] not in ALLOWED | {"app"}]
    assert third_party == []
