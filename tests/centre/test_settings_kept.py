"""Each process keeps the centre's details (every page's footer) for CENTRE_SETTINGS_CACHE_SECONDS: pages do
not read them per request, a save shows at once, and an administrator always sees what is stored."""

from __future__ import annotations

import importlib

import pytest

from app.centre.models import CentreSettings
from tests.centre.test_centre import FORM, html
from tests.queries import count_queries

# The module (app.centre exports its function settings() under the same name).
centre_settings = importlib.import_module("app.centre.settings")


def _stored_elsewhere(**changed) -> CentreSettings:
    """The centre's details as another process saved them: the configured ones, with ``changed``."""
    defaults = centre_settings.defaults()
    fields = {name: getattr(defaults, name) for name in centre_settings.FIELDS}
    return CentreSettings(id=1, **{**fields, **changed})


def _reads_of_the_centre(statements: list[str]) -> int:
    return sum("FROM centre_settings" in s for s in statements)


@pytest.fixture
def kept(app, monkeypatch):
    """Kept for 30 s, on a clock the test moves."""
    clock = [1000.0]
    monkeypatch.setitem(app.config, "CENTRE_SETTINGS_CACHE_SECONDS", 30)
    monkeypatch.setattr(centre_settings, "_clock", lambda: clock[0])
    app.extensions.pop("centre_settings", None)
    yield clock
    app.extensions.pop("centre_settings", None)


def test_pages_do_not_read_the_centre_each_time(kept, app, client):
    client.get("/")
    with count_queries(app) as statements:
        page = html(client.get("/proposals"))
    assert _reads_of_the_centre(statements) == 0
    assert "ul. Kozłówka 14" in page


def test_a_change_made_elsewhere_shows_after_the_kept_time(kept, app, client, session):
    """Another process (or server) saved new details: this one shows them once its copy is 30 s old."""
    assert "ul. Kozłówka 14" in html(client.get("/"))
    session.add(_stored_elsewhere(street="ul. Bochenka 12"))
    session.commit()

    kept[0] += 29
    assert "ul. Kozłówka 14" in html(client.get("/"))
    kept[0] += 2
    assert "ul. Bochenka 12" in html(client.get("/"))


def test_an_admin_sees_a_save_at_once_and_so_does_everyone_served_by_the_same_process(
    kept, app, client, make_client, users
):
    visitor = make_client()
    assert "ul. Kozłówka 14" in html(visitor.get("/"))
    client.login(users.admin())
    assert client.post("/admin/centre", FORM).status_code == 303
    assert "ul. Bochenka 12" in html(client.get("/"))
    assert "ul. Bochenka 12" in html(visitor.get("/"))


def test_an_admin_always_sees_what_is_stored(kept, app, client, users, session):
    client.get("/")
    session.add(_stored_elsewhere(street="ul. Bochenka 12"))
    session.commit()
    client.login(users.admin())
    assert "ul. Bochenka 12" in html(client.get("/"))
