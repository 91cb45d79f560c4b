"""The form base class every form uses, and shared field helpers."""

from __future__ import annotations

import re

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, ValidationError

from app.i18n import LANGUAGE_NAMES, writing_language
from app.numbers import parse_id, parse_whole
from app.text import is_plain_line

# C0 control characters other than tab, newline and carriage return, and the replacement character
# produced by invalid UTF-8.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


NOT_TEXT = _l("This field takes text; a file cannot be sent here.")
NOT_A_CHOICE = _l("Choose one of the options on the list.")
NOT_WHOLE = _l("Enter a whole number using the digits 0–9.")

# Dates people type (round schedules, activities): beyond these years is a typing error, and years such as
# 1 or 99999 would fail in the database or in time-zone arithmetic.
YEARS = range(2000, 2101)
YEAR_OUT_OF_RANGE = _l("Enter a date between the years %(first)d and %(last)d.",
                       first=YEARS[0], last=YEARS[-1])


class YearOutOfRange(ValueError):
    """A well-formed date outside ``YEARS``."""


class BaseForm(FlaskForm):
    """Reads only the text of a submitted form: a field sent as a file upload, or a JSON body, is refused
    with a message instead of reaching validators that expect text. Refuses control characters (NUL
    bytes, invalid UTF-8) in any text field."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            wrapped = super().wrap_formdata(form, formdata)
            if wrapped is None or wrapped is formdata:
                return wrapped
            # Submitted: only the text fields, never uploaded files or a JSON body.
            return request.form

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_submitted():
            for name in request.files:
                if name in self:
                    self[name].errors = [*self[name].errors, NOT_TEXT]
                    valid = False
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


def plain_line(form, field) -> None:
    """Validator for names and titles: no invisible, control or text-direction characters (which could
    make a name read as someone else's), checked by ``app.text.is_plain_line``."""
    text = field.data
    if isinstance(text, str) and not FORBIDDEN_CHARACTERS.search(text) and not is_plain_line(text):
        raise ValidationError(_l("Remove the invisible or special characters (such as text direction marks) "
                                 "from this field."))


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


def language_field() -> SelectField:
    """The language a resident's text is written in, each named in itself; new texts default to the
    writer's UI language. Pages mark the text with ``lang`` when it differs from the reader's."""
    return SelectField(
        _l("Language of the text"),
        choices=[SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()],
        default=writing_language,
        validate_choice=False,  # the service refuses an unknown language with its own message
        description=_l("So that screen readers read it in the right voice."),
    )


def optional_id(value):
    """``coerce`` for select fields of records: "" → None; an id in the database's range; anything else
    → ValueError, which the field shows as an invalid choice."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    number = parse_id(value)
    if number is None:
        raise ValueError(NOT_A_CHOICE)
    return number


class WholeNumberField(IntegerField):
    """An integer field that reads ASCII digits only, with an optional minus sign for its range check to
    name the limits (``int()`` would read "١٢٣" as 123)."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip()
        number = parse_whole(text.removeprefix("-"))
        self.data = -number if number is not None and text.startswith("-") else number
        if self.data is None:
            raise ValueError(self.invalid_value_message or NOT_WHOLE)


class IdField(IntegerField):
    """A reference to a record sent by the page (a comment's parent): empty → None; an id in the
    database's range, or a message."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0]:
            self.data = None
            return
        self.data = parse_id(valuelist[0])
        if self.data is None:
            raise ValueError(NOT_A_CHOICE)
