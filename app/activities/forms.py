"""Forms of the activities pages. Dates and times are typed in Warsaw time; the services validate the rest."""

from __future__ import annotations

from datetime import date, time

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.activities.services.inputs import ActivityInput, RoomRequestInput
from app.activities.services.roles import roles_text
from app.activities.times import local
from app.forms import (
    NOT_A_CHOICE,
    YEAR_OUT_OF_RANGE,
    YEARS,
    BaseForm,
    max_length,
    plain_line,
    required,
)
from app.numbers import parse_id, parse_whole


def _date_field(label=None):
    return StringField(
        label or _l("Date"),
        validators=[required(), max_length(10)],
        render_kw={"type": "date", "autocomplete": "off"},
    )


def _time_field(label):
    return StringField(
        label,
        validators=[required(), max_length(5)],
        description=_l("Warsaw time, e.g. 18:00."),
        render_kw={"type": "time", "autocomplete": "off"},
    )


def _number_field(label, description=None, **kw):
    return StringField(
        label,
        validators=[max_length(6)],
        description=description,
        render_kw={"inputmode": "numeric", "autocomplete": "off", **kw},
    )


class _Parsing(BaseForm):
    """A form that turns its text fields into dates, times and numbers, with a message on the field when
    it cannot."""

    def _date(self, name: str) -> date | None:
        field = getattr(self, name)
        try:
            day = date.fromisoformat(field.data.strip()) if field.data else None
        except ValueError:
            self.add_error(name, _l("Enter a date like 2026-05-30."))
            return None
        if day is not None and day.year not in YEARS:
            self.add_error(name, YEAR_OUT_OF_RANGE)
            return None
        return day

    def _time(self, name: str) -> time | None:
        field = getattr(self, name)
        try:
            return time.fromisoformat(field.data.strip()[:5]) if field.data else None
        except ValueError:
            self.add_error(name, _l("Enter a time like 18:00."))
            return None

    def _int(self, name: str) -> int | None:
        text = (getattr(self, name).data or "").strip()
        if not text:
            return None
        number = parse_whole(text)
        if number is None:
            self.add_error(name, _l("Enter a whole number."))
        return number

    def _id(self, name: str) -> int | None:
        """The id chosen in a select field; empty → None; anything not on the list → a message."""
        text = getattr(self, name).data or ""
        if not text:
            return None
        number = parse_id(text)
        if number is None:
            self.add_error(name, NOT_A_CHOICE)
        return number

    def _parsed_ok(self) -> bool:
        return not any(field.errors for field in self)


class ActivityForm(_Parsing):
    title = StringField(_l("Title"), validators=[required(), max_length(200), plain_line])
    description = TextAreaField(
        _l("Description"),
        validators=[max_length(20_000)],
        render_kw={"rows": 8},
        description=_l("What happens, for whom, what to bring. Markdown works."),
    )
    day = _date_field()
    starts = _time_field(_l("Starts at"))
    ends = _time_field(_l("Ends at"))
    repeat_weeks = _number_field(
        _l("Repeat weekly for how many weeks"),
        _l(
            "1 for a single activity. A series keeps the same local time across "
            "the change to and from summer time."
        ),
    )
    place_id = SelectField(_l("Place"), choices=[], validate_choice=False)
    capacity = _number_field(
        _l("Capacity"), _l("Optional: how many participants can come. Beyond it, people join a waiting list.")
    )
    open_to_all = BooleanField(_l("Open to everyone (not only verified residents)"), default=True)
    coordinator_id = SelectField(
        _l("Coordinator"),
        choices=[],
        validate_choice=False,
        description=_l("Residents who pledged to help this proposal come first."),
    )
    coordinator_email = StringField(
        _l("…or another resident's e-mail address"),
        validators=[max_length(254)],
        render_kw={"autocomplete": "off", "inputmode": "email"},
    )
    roles = TextAreaField(
        _l("Volunteer roles"),
        validators=[max_length(3000)],
        render_kw={"rows": 4},
        description=_l("One per line, with the number of people: “set up the room: 2”."),
    )
    scope = RadioField(
        _l("Change"),
        default="one",
        choices=[
            SelectChoice("one", _l("Only this activity")),
            SelectChoice("series", _l("Every planned activity of the series")),
        ],
    )

    def set_choices(self, places, candidates) -> None:
        self.place_id.choices = [SelectChoice("", _l("— choose a place —"))] + [
            SelectChoice(str(place.id), place.name) for place in places
        ]
        self.coordinator_id.choices = [SelectChoice("", _l("— nobody yet —"))] + [
            SelectChoice(str(user.id), label) for user, label in candidates
        ]

    def fill(self, activity) -> None:
        starts, ends = local(activity.starts_at), local(activity.ends_at)
        self.title.data, self.description.data = activity.title, activity.description
        self.day.data, self.starts.data, self.ends.data = (
            starts.date().isoformat(),
            starts.strftime("%H:%M"),
            ends.strftime("%H:%M"),
        )
        self.place_id.data = str(activity.place_id)
        self.capacity.data = str(activity.capacity or "")
        self.open_to_all.data = activity.open_to_all
        self.coordinator_id.data = str(activity.coordinator_id or "")
        self.roles.data = roles_text(activity)

    def to_input(self) -> ActivityInput | None:
        data = ActivityInput(
            title=self.title.data or "",
            description=self.description.data or "",
            day=self._date("day"),
            starts=self._time("starts"),
            ends=self._time("ends"),
            place_id=self._id("place_id"),
            capacity=self._int("capacity"),
            open_to_all=bool(self.open_to_all.data),
            coordinator_id=self._id("coordinator_id"),
            coordinator_email=self.coordinator_email.data or "",
            roles=self.roles.data or "",
            repeat_weeks=self._int("repeat_weeks") or 1,
        )
        return data if self._parsed_ok() else None


class RoomRequestForm(_Parsing):
    title = StringField(
        _l("What is it?"),
        validators=[required(), max_length(200), plain_line],
        description=_l("A short name, e.g. “Knitting circle”."),
    )
    description = TextAreaField(
        _l("Tell us more"),
        validators=[required(), max_length(5_000)],
        render_kw={"rows": 5},
        description=_l("What will happen, who it is for, what you need."),
    )
    organisation = StringField(
        _l("Organisation (optional)"),
        validators=[max_length(200)],
        description=_l("If you ask on behalf of a local organisation or group."),
    )
    day = _date_field()
    starts = _time_field(_l("From"))
    ends = _time_field(_l("Until"))
    place_id = SelectField(_l("Which space"), choices=[], validate_choice=False)
    expected_people = _number_field(_l("How many people"), _l("Roughly; optional."))
    open_to_all = BooleanField(_l("Open to everyone"), default=True)

    def set_choices(self, places) -> None:
        self.place_id.choices = [SelectChoice("", _l("— choose a place —"))] + [
            SelectChoice(str(place.id), place.name) for place in places
        ]

    def to_input(self) -> RoomRequestInput | None:
        data = RoomRequestInput(
            title=self.title.data or "",
            description=self.description.data or "",
            organisation=self.organisation.data or "",
            day=self._date("day"),
            starts=self._time("starts"),
            ends=self._time("ends"),
            place_id=self._id("place_id"),
            expected_people=self._int("expected_people"),
            open_to_all=bool(self.open_to_all.data),
        )
        return data if self._parsed_ok() else None


class HeldForm(_Parsing):
    attendance = _number_field(_l("How many people came"))
    report = TextAreaField(
        lazy_pgettext("noun", "Report"),
        validators=[required(), max_length(10_000)],
        render_kw={"rows": 6},
        description=_l("What happened, and what next? Markdown works."),
    )


class CancelForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[required(), max_length(500)],
        render_kw={"rows": 3},
        description=_l("Shown on the activity's page and sent to everyone signed up."),
    )


class DeclineForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[required(), max_length(500)],
        render_kw={"rows": 3},
        description=_l("Sent to the person who asked."),
    )


class PlaceForm(_Parsing):
    name = StringField(_l("Name"), validators=[required(), max_length(120), plain_line])
    description = StringField(_l("Description"), validators=[max_length(500)])
    capacity = _number_field(_l("How many people fit"), _l("Optional."))
    active = BooleanField(_l("In use"), default=True)
