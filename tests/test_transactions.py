"""The design's rule for transactions: one commit per public service; helpers flush and raise, and never
commit or roll back the transaction of the service that called them (a savepoint of their own they may
undo). Checked by reading the services modules."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def _services_modules() -> list[Path]:
    found = set(APP.rglob("services*.py")) | set(APP.rglob("services/*.py"))
    return sorted(path for path in found if "tally" not in path.relative_to(APP).parts)


def _ends_a_transaction(node: ast.AST) -> bool:
    """``db.session.commit()``, ``session.rollback()`` and the like (not a savepoint's own)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    if node.func.attr not in ("commit", "rollback"):
        return False
    receiver = node.func.value
    return (isinstance(receiver, ast.Attribute) and receiver.attr == "session") or (
        isinstance(receiver, ast.Name) and receiver.id == "session"
    )


def test_the_services_modules_are_found():
    names = {str(path.relative_to(APP)) for path in _services_modules()}
    assert {"proposals/services.py", "exports/services.py", "activities/services/signups.py"} <= names


def test_no_helper_of_a_service_commits_or_rolls_back():
    offenders = []
    for path in _services_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if not function.name.startswith("_"):
                continue
            for node in ast.walk(function):
                if _ends_a_transaction(node):
                    offenders.append(f"{path.relative_to(APP)}:{node.lineno} {function.name}")
    assert offenders == []
