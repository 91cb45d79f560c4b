"""Pictures through the site, as people meet them: uploading (and hostile uploads refused with a clear
message, nothing stored), the cleaned file served with long-lived caching, covers on cards and pages,
the six-picture limit, hiding by moderators, permissions per role, and pictures deleted with their
proposal or account."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image as PILImage

from app.audit.models import AuditEvent
from app.media import services
from app.media.models import Image
from app.news.models import NewsPost
from app.proposals.models import Status
from tests.factories import PASSWORD
from tests.media import files
from tests.media.conftest import stored_files
from tests.proposals.factories import make_proposal

ALT = "Puste podwórko między blokami 3 i 5, z ławką"
NOT_A_PICTURE = ("Tego pliku nie możemy użyć jako obrazka. Wyślij zdjęcie lub obrazek w formacie JPEG, PNG "
                 "albo WebP.")
TOO_MANY_PIXELS = "To zdjęcie ma więcej niż 40 megapikseli. Wyślij mniejsze zdjęcie."
DAMAGED = ("To zdjęcie jest uszkodzone lub niekompletne i nie da się go odczytać. Wyślij je ponownie albo "
           "wybierz inny plik.")
TOO_LARGE = "Ten plik ma więcej niż 10 MB. Wyślij mniejsze zdjęcie (zdjęcie z telefonu ma zwykle 2–5 MB)."
TOO_LARGE_REQUEST = "Przesłane dane są zbyt duże. Skróć tekst albo wyślij zdjęcie, które ma najwyżej 10 MB."
NO_ALT = "Opisz zdjęcie w kilku słowach dla osób, które go nie widzą."
IMG = re.compile(r'<img src="(/media/files/[0-9a-f]{64}\.jpg)" alt="([^"]*)" width="(\d+)" height="(\d+)"'
                 r'( loading="lazy")?')


def upload(client, subject_id, data=None, *, alt=ALT, name="IMG_20261206_1412.jpg", kind="proposal", **form):
    body = {"alt": alt, "picture": (io.BytesIO(files.photo() if data is None else data), name), **form}
    return client.post(f"/media/{kind}/{subject_id}/pictures", body, content_type="multipart/form-data")


def pictures(session):
    session.expire_all()
    return session.scalars(sa.select(Image).order_by(Image.id)).all()


@pytest.fixture
def author(users):
    return users.resident(name="Halina Wójcik")


@pytest.fixture
def proposal(session, author):
    return make_proposal(session, author, title="Ławki na podwórku")


# --- uploading ------------------------------------------------------------------------------------------


def test_the_author_adds_a_phone_photo_on_the_edit_page_and_the_served_file_has_no_exif(
        client, session, author, proposal, media_dir):
    client.login(author)
    edit = f"/proposals/{proposal.id}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="picture"' in page
    response = upload(client, proposal.id, next=edit)
    assert response.status_code == 303 and response.headers["Location"].endswith(edit)

    [image] = pictures(session)
    assert (image.alt, image.is_cover, image.uploaded_by_id) == (ALT, True, author.id)
    # Stored under names made from the content, never the uploaded name.
    names = [path.name for path in stored_files(media_dir)]
    assert sorted(names) == sorted([image.card_name, image.page_name])
    assert not any("IMG_" in name for name in names)

    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    src, alt, width, height, _lazy = IMG.search(page).groups()
    assert alt == ALT and (int(width), int(height)) == (1200, 900)
    client.logout()
    served = client.get(src)  # anyone can see it
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    cache = served.headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache
    # Opened on its own, the picture may be shown (the browser styles it inline) and nothing may run.
    assert served.headers["Content-Security-Policy"] == (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
    data = served.get_data()
    picture = PILImage.open(io.BytesIO(data))
    assert not picture.getexif() and not picture.getexif().get_ifd(0x8825)
    assert b"Exif" not in data and b"Telefon" not in data
    assert set(picture.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive",
                                 "progression", "dpi"}


def test_the_orientation_of_the_photo_is_applied(client, session, author, proposal):
    client.login(author)
    upload(client, proposal.id, files.photo(1600, 1200, orientation=6))
    [image] = pictures(session)
    assert (image.page_width, image.page_height, image.card_width, image.card_height) == (900, 1200, 480, 640)


HOSTILE = {
    "png-bomb": (files.png_bomb(), "bomba.png", TOO_MANY_PIXELS),
    "html-as-jpg": (files.HTML, "zdjecie.jpg", NOT_A_PICTURE),
    "svg-as-jpg": (files.SVG, "zdjecie.jpg", NOT_A_PICTURE),
    "truncated-jpeg": (files.truncated_jpeg(), "zdjecie.jpg", DAMAGED),
    "over-10-mb": (b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024 + 1), "duze.jpg", TOO_LARGE),
    "empty": (b"", "pusty.jpg", "Wybierz zdjęcie do wysłania."),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_uploads_are_refused_with_a_clear_message_and_nothing_is_stored(
        client, session, author, proposal, media_dir, case):
    data, name, message = HOSTILE[case]
    client.login(author)
    response = upload(client, proposal.id, data, name=name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and 'role="alert"' in page
    assert pictures(session) == [] and stored_files(media_dir) == []


def test_a_30_mb_upload_gets_a_translated_page_and_nothing_is_stored(client, session, author, proposal,
                                                                      media_dir):
    client.login(author)
    response = upload(client, proposal.id, b"\xff\xd8\xff" + b"\x00" * (30 * 1024 * 1024))
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Zbyt dużo danych" in page and TOO_LARGE_REQUEST in page
    assert pictures(session) == [] and stored_files(media_dir) == []


def test_a_picture_needs_a_description(client, session, author, proposal, media_dir):
    client.login(author)
    response = upload(client, proposal.id, alt="   ")
    assert response.status_code == 422 and NO_ALT in response.get_data(as_text=True)
    assert pictures(session) == [] and stored_files(media_dir) == []


def test_six_pictures_at_most(client, session, author, proposal):
    client.login(author)
    for number in range(6):
        picture = files.photo(300, 200, colour=(number * 40, 90, 90))
        assert upload(client, proposal.id, picture).status_code == 303
    response = upload(client, proposal.id, files.photo(300, 200, colour=(5, 5, 250)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Możesz tu dodać najwyżej 6 zdjęć. Usuń jedno, aby dodać kolejne." in page
    assert len(pictures(session)) == 6


# --- covers, descriptions, removing ---------------------------------------------------------------------


def test_the_cover_is_on_the_card_and_can_be_changed_and_a_removed_cover_is_replaced(
        client, session, author, proposal, media_dir):
    client.login(author)
    upload(client, proposal.id, files.photo(800, 600, colour=(0, 0, 200)), alt="Pierwsze")
    upload(client, proposal.id, files.photo(800, 600, colour=(0, 200, 0)), alt="Drugie")
    first, second = pictures(session)
    assert (first.is_cover, second.is_cover) == (True, False)

    card = client.get("/proposals").get_data(as_text=True)
    src, alt, width, height, lazy = IMG.search(card).groups()
    assert (src, alt, (int(width), int(height)), lazy) == (
        f"/media/files/{first.card_name}", "Pierwsze", (480, 360), ' loading="lazy"')

    assert client.post(f"/media/pictures/{second.id}/cover").status_code == 303
    assert [p.is_cover for p in pictures(session)] == [False, True]
    assert f"/media/files/{second.card_name}" in client.get("/proposals").get_data(as_text=True)

    assert client.post(f"/media/pictures/{second.id}/alt", {"alt": "Trawnik po deszczu"}).status_code == 303
    assert pictures(session)[1].alt == "Trawnik po deszczu"
    assert client.post(f"/media/pictures/{second.id}/alt", {"alt": ""}).status_code == 422

    # Removing asks first; confirmed, the row and its files go and the other picture becomes the cover.
    asked = client.post(f"/media/pictures/{second.id}/remove")
    assert asked.status_code == 200 and "Tak, usuń zdjęcie" in asked.get_data(as_text=True)
    assert len(pictures(session)) == 2
    assert client.post(f"/media/pictures/{second.id}/remove", confirm=True).status_code == 303
    [left] = pictures(session)
    assert left.id == first.id and left.is_cover
    assert sorted(p.name for p in stored_files(media_dir)) == sorted(first.file_names)


def test_the_same_photo_twice_keeps_its_file_until_both_are_removed(client, session, author, proposal,
                                                                     media_dir):
    client.login(author)
    upload(client, proposal.id)
    upload(client, proposal.id)
    first, second = pictures(session)
    assert first.file_names == second.file_names and len(stored_files(media_dir)) == 2
    client.post(f"/media/pictures/{first.id}/remove", confirm=True)
    assert len(stored_files(media_dir)) == 2
    assert client.get(f"/media/files/{second.page_name}").status_code == 200
    client.post(f"/media/pictures/{second.id}/remove", confirm=True)
    assert stored_files(media_dir) == []
    assert client.get(f"/media/files/{second.page_name}").status_code == 404


# --- permissions ----------------------------------------------------------------------------------------


def test_only_the_author_and_moderators_add_pictures_to_a_proposal(client, session, users, proposal,
                                                                    media_dir):
    client.login(users.resident())
    response = upload(client, proposal.id)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Tylko autor i moderatorzy mogą zmieniać zdjęcia tej propozycji." in page
    assert client.get(f"/media/proposal/{proposal.id}/pictures").status_code == 403
    client.logout()
    assert upload(client, proposal.id).status_code == 302  # to the sign-in page
    assert pictures(session) == [] and stored_files(media_dir) == []
    client.login(users.moderator())
    assert upload(client, proposal.id).status_code == 303
    assert session.scalars(sa.select(AuditEvent.action)).all()[-1] == "image.added"


def test_a_private_draft_s_pictures_are_not_found_by_others(client, session, users, author):
    draft = make_proposal(session, author, status=Status.DRAFT)
    client.login(users.resident())
    assert upload(client, draft.id).status_code == 404


def test_a_withdrawn_proposal_s_pictures_stay_as_they_are(client, session, author):
    withdrawn = make_proposal(session, author, status=Status.WITHDRAWN)
    client.login(author)
    assert upload(client, withdrawn.id).status_code == 403


def test_unknown_kinds_and_subjects_are_not_found(client, users):
    client.login(users.moderator())
    assert upload(client, 1, kind="rounds").status_code == 404
    assert upload(client, 2_000_000, kind="proposal").status_code == 404
    assert client.get("/media/files/../../secret_key").status_code == 404
    assert client.get("/media/files/" + "a" * 64 + ".jpg").status_code == 404


def test_moderators_hide_a_picture_with_a_reason_and_show_it_again(client, session, users, author, proposal):
    client.login(author)
    upload(client, proposal.id)
    [image] = pictures(session)
    # The author cannot hide (only moderators).
    refused = client.post(f"/media/pictures/{image.id}/hide", {"reason": "Nie chcę"})
    assert refused.status_code == 403
    assert "Tylko moderatorzy mogą ukrywać zdjęcia." in refused.get_data(as_text=True)

    moderator = users.moderator()
    client.login(moderator)
    assert client.post(f"/media/pictures/{image.id}/hide", {"reason": ""}).status_code == 422
    reason = "Widać numer rejestracyjny"
    assert client.post(f"/media/pictures/{image.id}/hide", {"reason": reason}).status_code == 303
    event = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.data["reason"], event.actor_id) == ("image.hidden", reason, moderator.id)
    moderator_view = client.get(f"/media/files/{image.page_name}")
    assert moderator_view.status_code == 200 and "no-store" in moderator_view.headers["Cache-Control"]

    client.logout()
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Moderator ukrył to zdjęcie." in page and "Widać numer rejestracyjny" in page
    assert image.page_name not in page
    assert image.card_name not in client.get("/proposals").get_data(as_text=True)
    assert client.get(f"/media/files/{image.page_name}").status_code == 404

    client.login(moderator)
    assert client.post(f"/media/pictures/{image.id}/restore", confirm=True).status_code == 303
    client.logout()
    assert client.get(f"/media/files/{image.page_name}").status_code == 200


# --- deleted with their proposal or account; exported -----------------------------------------------------


def test_discarding_a_draft_deletes_its_pictures_and_files(client, session, author, media_dir):
    draft = make_proposal(session, author, status=Status.DRAFT)
    client.login(author)
    upload(client, draft.id)
    assert len(stored_files(media_dir)) == 2
    assert client.post(f"/proposals/{draft.id}/discard", confirm=True).status_code == 303
    assert pictures(session) == [] and stored_files(media_dir) == []


def test_deleting_a_news_post_deletes_its_pictures(client, session, users, media_dir):
    moderator = users.moderator()
    client.login(moderator)
    client.post("/news/new", {"title": "Sprzątanie", "body": "W sobotę", "round_id": "", "proposal_id": "",
                              "activity_id": ""})
    post = session.scalars(sa.select(NewsPost)).one()
    assert upload(client, post.id, kind="news").status_code == 303
    page = client.get(f"/news/{post.id}").get_data(as_text=True)
    assert IMG.search(page).group(2) == ALT
    client.post(f"/news/{post.id}/delete", confirm=True)
    assert pictures(session) == [] and stored_files(media_dir) == []


def test_the_export_lists_the_pictures_and_deleting_the_account_deletes_them(
        client, session, users, author, proposal, media_dir):
    draft = make_proposal(session, author, status=Status.DRAFT)
    client.login(author)
    upload(client, proposal.id, files.photo(640, 480, colour=(1, 2, 3)))
    upload(client, draft.id, files.photo(640, 480, colour=(4, 5, 6)))
    moderator = users.moderator()
    client.login(moderator)
    upload(client, proposal.id, files.photo(640, 480, colour=(7, 8, 9)), alt="Zdjęcie moderatora")
    client.login(author)

    export = client.get("/account/data").get_json()
    assert [(p["subject"], p["alt"]) for p in export["pictures"]] == [("proposal", ALT), ("proposal", ALT)]
    assert all(p["file"].startswith("http://localhost/media/files/") for p in export["pictures"])

    response = client.post("/account/delete", {"password": PASSWORD}, confirm=True)
    assert response.status_code == 303
    [kept] = pictures(session)
    assert kept.alt == "Zdjęcie moderatora" and kept.uploaded_by_id == moderator.id
    assert sorted(p.name for p in stored_files(media_dir)) == sorted(kept.file_names)


def test_a_failure_after_the_files_are_written_leaves_no_file_behind(client, session, users, proposal,
                                                                      media_dir, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(services, "record", broken)  # fails after the files are written, before the commit
    client.login(users.moderator())
    response = upload(client, proposal.id)
    assert response.status_code == 500
    assert pictures(session) == [] and stored_files(media_dir) == []
