from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def media_dir(app, tmp_path, monkeypatch):
    """Each test stores its pictures in its own empty folder."""
    folder = tmp_path / "media"
    monkeypatch.setitem(app.config, "MEDIA_DIR", str(folder))
    return folder


def stored_files(folder) -> list:
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []
