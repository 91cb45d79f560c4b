from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, NumberRange, Optional, Regexp, StopValidation

from app.auth.forms import new_password_fields
from app.auth.models import Role
from app.forms import BaseForm, WholeNumberField, max_length, required
from app.residents.front_desk import (
    NAME_MAX,
    PHONE_MESSAGE,
    PHONE_PATTERN,
    PLACE_MAX,
    PLACE_MESSAGE,
    PLACE_PATTERN,
)
from app.residents.services import MAX_BATCH

ROLE_LABELS = {
    Role.RESIDENT: _l("Resident"),
    Role.MODERATOR: _l("Moderator"),
    Role.STEERING: _l("Steering group"),
    Role.ADMIN: _l("Administrator"),
}


def number_entered(form, field) -> None:
    """Like ``required()``, but 0 counts as entered (the range check then names the limits)."""
    if field.data is None:  # empty, or not a whole number
        field.errors[:] = []
        raise StopValidation(_l("Enter a number."))


number_entered.field_flags = {"required": True}  # type: ignore[attr-defined]  # read by WTForms


class CodesForm(BaseForm):
    count = WholeNumberField(
        _l("How many codes to print"),
        default=20,
        validators=[
            number_entered,
            NumberRange(min=1, max=MAX_BATCH,
                        message=_l("Choose between %(min)d and %(max)d codes.", min=1, max=MAX_BATCH)),
        ],
    )


class RoleForm(BaseForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(str(value), label) for value, label in ROLE_LABELS.items()],
        validators=[required()],
    )


def place_field(label, description=None):
    return StringField(
        label,
        validators=[
            Optional(),
            max_length(PLACE_MAX),
            Regexp(PLACE_PATTERN, message=PLACE_MESSAGE),
        ],
        description=description,
    )


def optional_email_field(label, description=None):
    return StringField(
        label,
        validators=[
            Optional(),
            max_length(254),
            Email(message=_l("Enter a valid e-mail address, like name@example.com."),
                  check_deliverability=False),
        ],
        description=description,
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )


class FrontDeskForm(BaseForm):
    display_name = StringField(
        _l("Name"),
        validators=[required(), max_length(NAME_MAX)],
        description=_l("As the resident wants others to see it, e.g. first name and the first letter "
                       "of the surname."),
        render_kw={"autocomplete": "off"},
    )
    building = place_field(_l("Building"), _l("Optional. The building number, e.g. 27 or 12A."))
    staircase = place_field(_l("Staircase"), _l("Optional."))
    flat = place_field(_l("Flat"), _l("Optional."))
    phone = StringField(
        _l("Phone"),
        validators=[
            Optional(),
            max_length(20),
            Regexp(PHONE_PATTERN, message=PHONE_MESSAGE),
        ],
        description=_l("Optional."),
        render_kw={"autocomplete": "off", "inputmode": "tel"},
    )
    email = optional_email_field(_l("E-mail address"),
                                 _l("Optional. Leave it empty if the resident has none."))
    confirm = HiddenField()


class SlipPdfForm(BaseForm):
    """The code shown on the slip page, sent back once to print the same slip as a PDF."""

    code = HiddenField(validators=[required(), max_length(20)])


class SignInCodeForm(BaseForm):
    code = StringField(
        _l("Sign-in code"),
        validators=[required(), max_length(20)],
        description=_l("The code from the slip you received at the centre, e.g. ABCDE-23456. "
                       "Capital or small letters and spaces do not matter."),
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"},
    )
    password, password_confirm = new_password_fields()
    email = optional_email_field(
        _l("E-mail address (optional)"),
        _l("If you add one, you can sign in with it and we can write to you. You can leave it empty."),
    )
