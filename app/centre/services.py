"""Changing the centre's settings: permission, validation, the change, the audit event, one commit."""

from __future__ import annotations

import re
from dataclasses import replace

from flask_babel import lazy_gettext as _l

from app.centre import permissions
from app.centre.models import THE_ONLY_ID, CentreSettings, Compliance
from app.centre.settings import FIELDS, Centre, forget, from_record, settings
from app.centre.signals import settings_changed
from app.db import db
from app.errors import InvalidInput
from app.permissions import Actor, require

POSTCODE = re.compile(r"\d{2}-\d{3}")
LIMITS = {"name": 200, "street": 200, "city": 100, "phone": 40, "email": 254, "accessibility_contact": 200,
          "accessibility_phone": 40, "accessibility_email": 254}
TEXT_LIMIT = 2000
REQUIRED = ("name", "street", "postcode", "city", "opening_hours")


def _validate(centre: Centre) -> None:
    for name in FIELDS:
        value = getattr(centre, name)
        if isinstance(value, str):
            limit = LIMITS.get(name, TEXT_LIMIT)
            if len(value) > limit:
                raise InvalidInput(_l("This field may have at most %(max)d characters.", max=limit),
                                   field=name)
            if name in REQUIRED and not value.strip():
                raise InvalidInput(_l("This field is required."), field=name)
    if not POSTCODE.fullmatch(centre.postcode):
        raise InvalidInput(_l("Enter the postcode like 30-664."), field="postcode")
    if centre.compliance not in set(Compliance):
        raise InvalidInput(_l("Choose one of the options."), field="compliance")
    if centre.statement_updated_on < centre.statement_published_on:
        raise InvalidInput(_l("The last update cannot be earlier than the publication."),
                           field="statement_updated_on")


def _cleaned(centre: Centre) -> Centre:
    return replace(centre, **{name: getattr(centre, name).strip() for name in FIELDS
                              if isinstance(getattr(centre, name), str)})


def update_settings(actor: Actor, centre: Centre) -> Centre:
    """Save the centre's details (creating the record the first time)."""
    require(permissions.can_edit_centre(actor))
    centre = _cleaned(centre)
    _validate(centre)
    before = settings()
    record = db.session.get(CentreSettings, THE_ONLY_ID) or CentreSettings(id=THE_ONLY_ID)
    for name in FIELDS:
        setattr(record, name, getattr(centre, name))
    db.session.add(record)
    db.session.flush()
    changed = sorted(name for name in FIELDS if getattr(before, name) != getattr(centre, name))
    settings_changed.send(actor, actor=actor, subject=record, changed=changed)
    db.session.commit()
    forget()
    return from_record(record)
