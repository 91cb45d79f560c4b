from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, HiddenField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, Length

from app.auth.numbers import parse_resident_number
from app.auth.passwords import MAX_LENGTH, MIN_LENGTH
from app.forms import BaseForm, email_field, max_length, plain_line, required

LANGUAGE_CHOICES = [
    SelectChoice("pl", "Polski", render_kw={"lang": "pl"}),
    SelectChoice("uk", "Українська", render_kw={"lang": "uk"}),
    SelectChoice("en", "English", render_kw={"lang": "en"}),
]


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        _l("Password"),
        validators=[
            required(),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l(
                    "The password must have between %(min)d and %(max)d characters.",
                    min=MIN_LENGTH,
                    max=MAX_LENGTH,
                ),
            ),
        ],
        description=_l("At least %(n)d characters. A few unrelated words are easy to remember.",
                       n=MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[required(), EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def display_name_field() -> StringField:
    return StringField(
        _l("Your name as others will see it"),
        validators=[required(), max_length(80), plain_line],
        description=_l("For example your first name and the first letter of your surname."),
        render_kw={"autocomplete": "nickname"},
    )


class RegisterForm(BaseForm):
    email = email_field()
    display_name = display_name_field()
    password, confirm = new_password_fields()


def _email_or_resident_number(form: BaseForm, field: Field) -> None:
    if parse_resident_number(field.data or "") is None:
        Email(message=_l("Enter your e-mail address, like name@example.com, or your resident number, "
                         "like MAM-123."), check_deliverability=False)(form, field)


class LoginForm(BaseForm):
    # People registered at the front desk without an address sign in with the number on their slip.
    email = StringField(
        _l("E-mail address or resident number"),
        validators=[required(), max_length(254), _email_or_resident_number],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[required(), max_length(MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Remember me on this device"))


class ResetRequestForm(BaseForm):
    email = email_field()


class ResetPasswordForm(BaseForm):
    password, confirm = new_password_fields()


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[required(), max_length(MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()


class ProfileForm(BaseForm):
    display_name = display_name_field()
    locale = RadioField(
        _l("Language"),
        choices=LANGUAGE_CHOICES,
        validators=[required(_l("Choose a language."))],
    )


class RedeemCodeForm(BaseForm):
    """The residency code from a slip, on the account page; ``app.residents`` redeems it."""

    code = StringField(
        _l("Residency code"),
        validators=[required(), max_length(20)],
        description=_l("The code from the slip you received at the centre, e.g. ABCDE-23456."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )


class SetupAdminForm(RegisterForm):
    locale = RadioField(
        _l("Language"), choices=LANGUAGE_CHOICES, default="pl",
        validators=[required(_l("Choose a language."))],
    )


class SignOutEverywhereForm(BaseForm):
    # "yes" once the person has seen the confirmation page.
    confirm = HiddenField()
