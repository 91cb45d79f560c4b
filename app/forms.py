"""The form base class every form uses, and shared field helpers."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Email, Length

# C0 control characters other than tab, newline and carriage return, and the replacement character
# produced by invalid UTF-8.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


class BaseForm(FlaskForm):
    """Refuses control characters (NUL bytes, invalid UTF-8) in any text field."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and FORBIDDEN_CHARACTERS.search(field.data):
                field.errors = [*field.errors, _l("This field contains characters that are not allowed.")]
                valid = False
        return valid

    def add_error(self, field_name: str, message) -> None:
        """Attach an error message to a field, to re-render the form with it."""
        field = getattr(self, field_name)
        field.errors = [*field.errors, message]

    def attach(self, error) -> None:
        """Show a service's refusal next to its field; a refusal of the whole request is raised again
        (it becomes an error page)."""
        if not (error.field and hasattr(self, error.field)):
            raise error
        self.add_error(error.field, error.message)


def required(message=None) -> DataRequired:
    return DataRequired(message=message or _l("This field is required."))


def max_length(n: int) -> Length:
    return Length(max=n, message=_l("This field may have at most %(max)d characters.", max=n))


def email_field(label=None) -> StringField:
    return StringField(
        label or _l("E-mail address"),
        validators=[
            required(),
            max_length(254),
            Email(message=_l("Enter a valid e-mail address, like name@example.com."),
                  check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
