"""A resident adds a phone photo to their proposal in a real browser, with and without JavaScript: the
multipart form with its CSRF token, the picture on the proposal's page (with its description, width and
height), the served file without any EXIF (no GPS position, the orientation applied), and removing it
with the confirmation. axe finds nothing on the pages visited, on a desktop and on a phone."""

from __future__ import annotations

import io
import uuid

from PIL import ExifTags
from PIL import Image as PILImage
from playwright.sync_api import expect

from app.auth.models import User
from app.db import db
from tests.discussion.factories import make_proposal
from tests.e2e.conftest import DESKTOP, PHONE, press_and_confirm
from tests.e2e.test_accessibility import TOO_WIDE, axe_violations, describe
from tests.media import files

ALT = "Trawnik za blokiem nr 7, gdzie mógłby być ogród"


def _proposal(live, author_id: int, title: str) -> int:
    with live.app.app_context():
        proposal = make_proposal(db.session, db.session.get(User, author_id), title=title)
        proposal_id = proposal.id
        db.session.remove()
    return proposal_id


def _axe(page, label: str, js: bool) -> list[str]:
    """axe and reflow on a desktop and a phone; it runs inside the page, so only with JavaScript on (the
    pages are the same without it)."""
    problems = []
    if not js:
        return problems
    page.wait_for_load_state("load")
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        violations = axe_violations(page)
        if violations:
            problems.append(describe(f"{label} {size['width']}px", violations))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{label} {size['width']}px scrolls sideways by {overflow}px; too wide: "
                            f"{', '.join(page.evaluate(TOO_WIDE))}")
    page.set_viewport_size(DESKTOP)
    return problems


def test_a_phone_photo_is_added_shown_served_without_exif_and_removed(live_server, new_context, signed_in,
                                                                      js, tmp_path):
    live = live_server
    user, state = signed_in("resident", name="Jadwiga Ogrodniczka")
    proposal_id = _proposal(live, user.id, f"Ogród za blokiem {uuid.uuid4().hex[:6]}")
    context, page, log = new_context(js=js, storage_state=state)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))

    # A phone photo, taken with the phone turned, with the position where it was taken.
    photo = tmp_path / "IMG_20261206_141203.jpg"
    photo.write_bytes(files.photo(2000, 1500, orientation=6, gps=True))
    original = PILImage.open(photo).getexif()
    assert original.get_ifd(ExifTags.IFD.GPSInfo) and original[ExifTags.Base.Orientation] == 6

    page.goto(f"/proposals/{proposal_id}/edit")
    problems = _axe(page, "edit page", js)
    page.set_input_files("#new-picture", str(photo))
    page.fill("#new-alt", ALT)
    page.get_by_role("button", name=live.t("pl", "Add the picture"), exact=True).click()
    expect(page.locator("#flash-messages")).to_contain_text(live.t("pl", "The picture is added."))
    assert page.url.endswith(f"/proposals/{proposal_id}/edit")
    expect(page.locator(".pictures-manage img")).to_have_attribute("alt", ALT)
    problems += _axe(page, "edit page with a picture", js)

    page.goto(f"/proposals/{proposal_id}")
    picture = page.locator(".gallery img").first
    expect(picture).to_have_attribute("alt", ALT)
    assert (picture.get_attribute("width"), picture.get_attribute("height")) == ("900", "1200")
    problems += _axe(page, "proposal page", js)

    src = picture.get_attribute("src")
    served = page.request.get(src)
    assert served.ok and "immutable" in served.headers["cache-control"]
    data = served.body()
    image = PILImage.open(io.BytesIO(data))
    assert image.size == (900, 1200)  # upright: the orientation is applied, then dropped
    assert not image.getexif() and b"Exif" not in data and b"Telefon" not in data

    # Removing it asks first (a dialog with JavaScript, a page without).
    page.goto(f"/proposals/{proposal_id}/edit")
    button = page.get_by_role("button", name=live.t("pl", "Remove the picture"), exact=True)
    press_and_confirm(page, live, js, button, "Yes, remove the picture")
    expect(page.locator("#flash-messages")).to_contain_text(live.t("pl", "The picture is removed."))
    expect(page.locator(".pictures-manage img")).to_have_count(0)
    assert dialogs == ([live.t("pl", "Remove this picture? This cannot be undone.")] if js else [])
    assert page.request.get(src).status == 404

    assert not problems, "\n".join(problems)
    assert not log.csp_violations() and not log.uncaught(), log.errors
