"""The administrator's form for the centre's details."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired

from app.centre.models import Compliance
from app.centre.settings import FIELDS, Centre
from app.forms import BaseForm, max_length, required

COMPLIANCE_LABELS = {
    Compliance.FULL: _l("Fully compliant"),
    Compliance.PARTIAL: _l("Partially compliant"),
    Compliance.NONE: _l("Not compliant"),
}


def _email(label) -> StringField:
    return StringField(label, validators=[required(), max_length(254), Email(
        message=_l("Enter a valid e-mail address, like name@example.com."), check_deliverability=False)],
        render_kw={"autocomplete": "off", "inputmode": "email"})


def _text(label, description=None) -> TextAreaField:
    return TextAreaField(label, description=description, validators=[required(), max_length(2000)],
                         render_kw={"rows": 3})


class CentreForm(BaseForm):
    name = StringField(_l("Name of the centre"), validators=[required(), max_length(200)])
    street = StringField(_l("Street and number"), validators=[required(), max_length(200)])
    postcode = StringField(_l("Postcode"), validators=[required(), max_length(6)],
                           description=_l("Like 30-664."), render_kw={"inputmode": "numeric"})
    city = StringField(_l("City"), validators=[required(), max_length(100)])
    opening_hours = TextAreaField(_l("Opening hours"), description=_l("One line per day or period."),
                                  validators=[required(), max_length(2000)], render_kw={"rows": 4})
    phone = StringField(_l("Phone"), validators=[required(), max_length(40)], render_kw={"inputmode": "tel"})
    email = _email(_l("E-mail address"))
    run_by = TextAreaField(_l("Who runs the centre"),
                           description=_l("Residents, organisations, the city: who does what. "
                                          "A blank line starts a new paragraph."),
                           validators=[max_length(2000)], render_kw={"rows": 5})
    compliance = RadioField(_l("Compliance with the act on digital accessibility"),
                            choices=list(COMPLIANCE_LABELS.items()), validators=[required()])
    # InputRequired (not DataRequired): a date that cannot be read is reported as such.
    statement_published_on = DateField(_l("Statement published on"),
                                       validators=[InputRequired(_l("This field is required."))])
    statement_updated_on = DateField(_l("Statement last updated on"),
                                     validators=[InputRequired(_l("This field is required."))])
    assessment = _text(_l("How accessibility was assessed"))
    accessibility_contact = StringField(_l("Contact person for accessibility"),
                                        validators=[required(), max_length(200)])
    accessibility_phone = StringField(_l("Their phone"), validators=[required(), max_length(40)],
                                      render_kw={"inputmode": "tel"})
    accessibility_email = _email(_l("Their e-mail address"))
    entrance = _text(_l("Entrance"))
    lift = _text(_l("Lift and floors"))
    toilet = _text(_l("Accessible toilet"))
    parking = _text(_l("Parking and public transport"))
    assistance_dog = _text(_l("Assistance dogs"))
    sign_language = _text(_l("Polish Sign Language (PJM) interpreter"))

    SECTIONS = (
        (_l("The centre"), ("name", "street", "postcode", "city", "opening_hours", "phone", "email",
                           "run_by")),
        (_l("Accessibility statement"), ("compliance", "statement_published_on", "statement_updated_on",
                                         "assessment", "accessibility_contact", "accessibility_phone",
                                         "accessibility_email")),
        (_l("Accessibility of the building"), ("entrance", "lift", "toilet", "parking", "assistance_dog",
                                               "sign_language")),
    )

    def fill(self, centre: Centre) -> None:
        for name in FIELDS:
            getattr(self, name).data = getattr(centre, name)

    def centre(self) -> Centre:
        values = {name: getattr(self, name).data for name in FIELDS}
        values["run_by"] = values["run_by"] or ""  # optional
        return Centre(**values)


