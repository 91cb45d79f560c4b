"""``settings()``: the centre's details as a frozen value, from its record or, before an administrator
has saved one, from the configuration (app.config.CENTRE_DEFAULTS)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import current_app, g

from app.centre.models import THE_ONLY_ID, CentreSettings, Compliance
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


def _load() -> Centre:
    try:
        record = db.session.get(CentreSettings, THE_ONLY_ID)
    except sa.exc.SQLAlchemyError:
        # The footer of an error page (the database unreachable) still shows the centre.
        db.session.rollback()
        return defaults()
    return defaults() if record is None else from_record(record)


def settings() -> Centre:
    """The centre's details; read once per request (every page's footer shows them)."""
    if "centre_settings" not in g:
        g.centre_settings = _load()
    return g.centre_settings


def forget() -> None:
    """Read the record again on the next ``settings()`` (after it changed)."""
    g.pop("centre_settings", None)


def address_text() -> str:
    """The centre's address on one line, for slips, posters and e-mails."""
    return settings().address


def hours_text() -> str:
    """The opening hours, one line per period."""
    return "\n".join(settings().hours_lines)
