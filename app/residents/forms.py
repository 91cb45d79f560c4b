from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, StopValidation

from app.auth.models import Role
from app.forms import BaseForm, WholeNumberField, max_length, required
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


number_entered.field_flags = {"required": True}


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


class RedeemCodeForm(BaseForm):
    code = StringField(
        _l("Residency code"),
        validators=[required(), max_length(20)],
        description=_l("The code from the slip you received at the centre, e.g. ABCDE-23456."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )


class RoleForm(BaseForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(str(value), label) for value, label in ROLE_LABELS.items()],
        validators=[required()],
    )
