"""When the database cannot be reached, people get a translated page saying so (503, Retry-After), signed
in or not, and /readyz answers 503 JSON for everyone: never a bare 500 from the error handler itself."""

from __future__ import annotations

import pytest

from app import create_app

UNREACHABLE = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/mam",  # nothing listens on port 1
    "sqlite": "sqlite:////nonexistent-directory/mam.db",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def down(request):
    app = create_app({"SQLALCHEMY_DATABASE_URI": UNREACHABLE[request.param], "TESTING": False})
    return app.test_client()


def sign_in_cookie(client) -> None:
    """What a signed-in browser sends: a session naming an account the app must load."""
    with client.session_transaction() as session:
        session["_user_id"] = "1:1"
        session["_fresh"] = True


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
@pytest.mark.parametrize("path", ["/", "/proposals", "/rounds", "/account"])
def test_pages_say_the_platform_is_unavailable(down, path, signed_in):
    if signed_in:
        sign_in_cookie(down)
    response = down.get(path, headers={"Accept-Language": "pl"})
    if response.status_code == 302:  # /account for a visitor: the sign-in page, which needs no database
        assert path == "/account" and not signed_in
        return
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    assert "Nie udało się połączyć z bazą danych" in page
    assert 'lang="pl"' in page


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
def test_readyz_answers_503_json(down, signed_in):
    if signed_in:
        sign_in_cookie(down)
    response = down.get("/readyz")
    assert response.status_code == 503
    assert response.is_json
    assert response.headers["Retry-After"] == "30"

