"""One linear migration chain that builds exactly the models' schema, down and up again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app import create_app
from app.auth.models import User
from app.db import db, in_schema_of
from tests.live_server import scratch_database


@pytest.fixture
def scratch_url(tmp_path):
    """A database of its own, so going down to empty does not disturb the other tests."""
    with scratch_database(tmp_path) as url:
        yield url


@pytest.fixture
def scratch_app(scratch_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def schema_differences():
    with db.engine.connect() as conn:
        opts = {"compare_type": True, "include_object": in_schema_of(conn.dialect.name)}
        return compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)


def table_names():
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_single_head(app):
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        assert len(script.get_heads()) == 1
        assert len(script.get_bases()) == 1


def test_upgrade_from_empty_gives_exactly_the_models_schema(scratch_app):
    assert table_names() == set()
    upgrade()
    assert table_names() == set(db.metadata.tables)
    assert schema_differences() == []


def test_downgrade_to_base_then_upgrade_again_with_data(scratch_app):
    upgrade()
    db.session.execute(sa.text(
        "INSERT INTO users (email, display_name, password_hash, role, locale, created_at) "
        "VALUES ('a@b.example', 'Ala', 'x', 'resident', 'pl', CURRENT_TIMESTAMP)"
    ))
    db.session.commit()
    db.session.remove()
    downgrade(revision="base")
    assert table_names() == set()
    upgrade()
    assert schema_differences() == []


def test_drafts_withdrawn_by_an_older_version_become_private_again(scratch_app):
    upgrade(revision="0006")
    insert = sa.text(
        "INSERT INTO proposals (title, body, body_html, needs, status, search_text, pledge_count, "
        "comment_count, created_at, updated_at, submitted_at) "
        "VALUES (:title, '', '', '', 'withdrawn', '', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :submitted)"
    )
    db.session.execute(insert, {"title": "never published", "submitted": None})
    db.session.execute(insert, {"title": "published, then withdrawn", "submitted": "2026-10-01 12:00:00+00"})
    db.session.commit()
    upgrade()
    statuses = dict(db.session.execute(sa.text("SELECT title, status FROM proposals")).all())
    assert statuses == {"never published": "draft", "published, then withdrawn": "withdrawn"}


def test_0011_lets_users_choose_ukrainian_and_going_back_gives_them_polish(scratch_app):
    insert = sa.text(
        "INSERT INTO users (email, display_name, password_hash, role, locale, created_at) "
        "VALUES (:email, 'Oksana', 'x', 'resident', :locale, CURRENT_TIMESTAMP)")
    upgrade(revision="0011")
    db.session.execute(insert, {"email": "oksana@b.example", "locale": "uk"})
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(insert, {"email": "ivan@b.example", "locale": "ru"})
    db.session.rollback()
    downgrade(revision="0007")
    assert db.session.scalar(sa.text("SELECT locale FROM users WHERE email = 'oksana@b.example'")) == "pl"
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(insert, {"email": "olena@b.example", "locale": "uk"})
    db.session.rollback()


def test_votes_cast_before_the_identity_hash_get_it_in_rounds_still_voting(scratch_app):
    from app.auth.identity import voter_hash
    from app.phases.models import Round

    upgrade(revision="0007")
    db.session.execute(sa.text(
        "INSERT INTO users (id, email, display_name, password_hash, role, locale, created_at) "
        "VALUES (1, 'ala@kozlowka.example', 'Ala', 'x', 'resident', 'pl', CURRENT_TIMESTAMP)"
    ))
    # Only the columns of revision 0007 (the model has more since).
    voting, closed = (db.session.scalar(sa.insert(Round).values(title=f"Runda {phase}", phase=phase)
                                        .returning(Round.id)) for phase in ("voting", "closed"))
    for round_id in (voting, closed):
        db.session.execute(sa.text(
            "INSERT INTO participations (round_id, user_id, channel, voted_at) "
            "VALUES (:round_id, 1, 'online', CURRENT_TIMESTAMP)"), {"round_id": round_id})
    db.session.commit()

    upgrade()

    hashes = dict(db.session.execute(sa.text("SELECT round_id, identity_hash FROM participations")).all())
    user = db.session.get(User, 1)
    assert hashes == {voting: voter_hash(user, voting), closed: None}
    assert user.session_version == 1


def test_rounds_imported_before_0016_are_marked_historical_with_their_projects(scratch_app):
    from app.phases.models import Round
    from app.proposals.models import Proposal

    upgrade(revision="0011")
    imported, own = (db.session.scalar(sa.insert(Round).values(title=title, phase="closed", description=text)
                                       .returning(Round.id))
                     for title, text in (("Mirów 2024", "Imported from the Pabulib file `mirow.pb`. Mirów"),
                                         ("Runda wiosenna", "Zgłaszajcie pomysły")))
    # Only the columns of revision 0011 (the model has ``imported`` since).
    columns = {c.name: c for c in Proposal.__table__.columns if c.name != "imported"}
    table = sa.Table("proposals", sa.MetaData(), *(sa.Column(name, c.type) for name, c in columns.items()))
    for round_id, title in ((imported, "Remont ogrodzenia"), (own, "Ławka")):
        db.session.execute(sa.insert(table).values(
            round_id=round_id, title=title, body="Pabulib project 1.", body_html="", needs="",
            status="accepted", search_text="", pledge_count=0, comment_count=0, created_at=sa.func.now(),
            updated_at=sa.func.now()))
    db.session.commit()

    upgrade()

    marked = dict(db.session.execute(sa.select(Round.id, Round.imported_from)).all())
    assert marked == {imported: "pabulib", own: None}
    flags = dict(db.session.execute(sa.select(Proposal.title, Proposal.imported)).all())
    assert flags == {"Remont ogrodzenia": True, "Ławka": False}
    db.session.rollback()  # end the reading transaction: on PostgreSQL it would block the downgrade
    downgrade(revision="0011")
    assert "imported_from" not in {c["name"] for c in sa.inspect(db.engine).get_columns("rounds")}
