"""``settings()``: the centre's details as a frozen value, from its record or, before an administrator
has saved one, from the configuration (app.config.CENTRE_DEFAULTS)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, fields
from datetime import date
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_login import current_user

from app.centre.models import THE_ONLY_ID, CentreSettings, Compliance
from app.centre.permissions import can_edit_centre
from app.db import db

OSM_SEARCH = "https://www.openstreetmap.org/search"
BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")


@dataclass(frozen=True)
class Centre:
    name: str
    street: str
    postcode: str
    city: str
    opening_hours: str
    phone: str
    email: str
    compliance: str
    statement_published_on: date
    statement_updated_on: date
    assessment: str
    accessibility_contact: str
    accessibility_phone: str
    accessibility_email: str
    entrance: str
    lift: str
    toilet: str
    parking: str
    assistance_dog: str
    sign_language: str
    run_by: str = ""

    @property
    def address(self) -> str:
        """One line: "ul. Kozłówka 14, 30-664 Kraków"."""
        return f"{self.street}, {self.postcode} {self.city}"

    @property
    def hours_lines(self) -> list[str]:
        return [line.strip() for line in self.opening_hours.splitlines() if line.strip()]

    @property
    def run_by_paragraphs(self) -> list[str]:
        """Paragraphs are separated by a blank line."""
        return [part.strip() for part in BLANK_LINE.split(self.run_by) if part.strip()]

    @property
    def map_url(self) -> str:
        """A search for the address on OpenStreetMap (a link, never an embedded map)."""
        return f"{OSM_SEARCH}?{urlencode({'query': self.address})}"


FIELDS = tuple(f.name for f in fields(Centre))


def defaults() -> Centre:
    config = current_app.config
    email = config["CONTACT_EMAIL"]
    statement = config["ACCESSIBILITY_STATEMENT_DATE"]
    return Centre(
        name=config["CENTRE_NAME"],
        street=config["CENTRE_STREET"],
        postcode=config["CENTRE_POSTCODE"],
        city=config["CENTRE_CITY"],
        opening_hours=config["CENTRE_HOURS"],
        phone=config["CENTRE_PHONE"],
        email=email,
        compliance=Compliance.PARTIAL,
        statement_published_on=statement,
        statement_updated_on=statement,
        assessment=config["CENTRE_ASSESSMENT"],
        accessibility_contact=config["CENTRE_ACCESSIBILITY_CONTACT"],
        accessibility_phone=config["CENTRE_PHONE"],
        accessibility_email=email,
        entrance=config["CENTRE_ENTRANCE"],
        lift=config["CENTRE_LIFT"],
        toilet=config["CENTRE_TOILET"],
        parking=config["CENTRE_PARKING"],
        assistance_dog=config["CENTRE_ASSISTANCE_DOG"],
        sign_language=config["CENTRE_SIGN_LANGUAGE"],
        run_by=config["CENTRE_RUN_BY"],
    )


def from_record(record: CentreSettings) -> Centre:
    return Centre(**{name: getattr(record, name) for name in FIELDS})


def _load() -> tuple[Centre, bool]:
    """The centre's details, and whether they came from the database."""
    try:
        record = db.session.get(CentreSettings, THE_ONLY_ID)
    except sa.exc.SQLAlchemyError:
        # The footer of an error page (the database unreachable) still shows the centre.
        db.session.rollback()
        return defaults(), False
    return (defaults() if record is None else from_record(record)), True


def _editing() -> bool:
    """The request of someone who may change the details: they always see what is stored."""
    return has_request_context() and bool(can_edit_centre(current_user))


_clock = time.monotonic


def _kept_or_loaded() -> Centre:
    """From this process's copy while it is fresh (CENTRE_SETTINGS_CACHE_SECONDS), else from the database."""
    seconds = current_app.config["CENTRE_SETTINGS_CACHE_SECONDS"]
    box = current_app.extensions.setdefault("centre_settings", {})
    kept = box.get("kept")
    now = _clock()
    if seconds > 0 and kept is not None and now - kept[0] < seconds and not _editing():
        return kept[1]
    centre, stored = _load()
    if stored:
        box["kept"] = (now, centre)
    return centre


def settings() -> Centre:
    """The centre's details (every page's footer shows them): read once per request at most, and in each
    process at most once per CENTRE_SETTINGS_CACHE_SECONDS."""
    if "centre_settings" not in g:
        g.centre_settings = _kept_or_loaded()
    return g.centre_settings


def forget() -> None:
    """Read the record again on the next ``settings()`` (after it changed)."""
    g.pop("centre_settings", None)
    current_app.extensions.get("centre_settings", {}).pop("kept", None)


def address_text() -> str:
    """The centre's address on one line, for slips, posters and e-mails."""
    return settings().address


def hours_text() -> str:
    """The opening hours, one line per period."""
    return "\n".join(settings().hours_lines)
