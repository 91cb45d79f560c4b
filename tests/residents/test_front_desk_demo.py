"""The demo has residents who came to the front desk and have no e-mail address: moderators can find them,
see them as verified, and print their sign-in slips."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.auth.models import User


@pytest.fixture(scope="session")
def app(demo_app):
    """These tests read the demo data, seeded once per worker."""
    return demo_app


def test_the_demo_has_two_front_desk_residents_without_email(session, client, users):
    people = session.scalars(sa.select(User).where(User.email.is_(None), User.display_name != "")
                             .order_by(User.display_name)).all()

    assert [p.display_name for p in people] == ["Józef Wiśniewski", "Stanisława Kowalczyk"]
    assert all(p.is_verified_resident and p.password_hash == "" for p in people)
    client.login(users.moderator())
    listed = client.get("/residents", query_string={"q": "Kowalczyk"}).get_data(as_text=True)
    assert "Stanisława Kowalczyk" in listed
    page = client.get(f"/residents/{people[1].id}").get_data(as_text=True)
    assert "Stanisława Kowalczyk" in page and "Wydrukuj kartkę logowania" in page
