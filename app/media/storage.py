"""Picture files on disk: ``MEDIA_DIR/ab/ab….jpg``, named by the SHA-256 of their bytes (never by the
uploaded name), written before the database commits and removed only after it has.

A file written by a transaction that rolls back is removed again; a file no picture uses any more is
removed once the deletion has committed. Both go through the session's ``info`` and two session events.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

NAME = re.compile(r"[0-9a-f]{64}\.jpg")
_WRITTEN = "media_written"  # files this transaction created
_UNUSED = "media_unused"  # files to remove once this transaction has committed


def media_dir() -> Path:
    configured = current_app.config.get("MEDIA_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "media"


def path_of(name: str) -> Path:
    if not NAME.fullmatch(name):
        raise ValueError(f"not a picture file name: {name!r}")
    return media_dir() / name[:2] / name


def write(session: Session, name: str, data: bytes) -> None:
    """Store ``data`` as ``name`` (atomically; a file that exists already has these very bytes)."""
    path = path_of(name)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    session.info.setdefault(_WRITTEN, set()).add(path)


def remove_after_commit(session: Session, names: set[str]) -> None:
    session.info.setdefault(_UNUSED, set()).update(path_of(name) for name in names)


def _unlink(paths: Iterable[Path]) -> None:
    for path in paths:
        # A read-only disk: the file stays, unreferenced and never served.
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    _unlink(session.info.pop(_UNUSED, ()))


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is not None:  # a SAVEPOINT inside a transaction that goes on
        return
    session.info.pop(_UNUSED, None)
    _unlink(session.info.pop(_WRITTEN, ()))
