from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField

from app.forms import BaseForm, language_field, max_length, optional_id, plain_line, required
from app.news.services import MAX_BODY_LENGTH, MAX_TITLE_LENGTH


class NewsForm(BaseForm):
    title = StringField(_l("Title"), validators=[required(), max_length(MAX_TITLE_LENGTH), plain_line])
    body = TextAreaField(
        _l("Text"),
        validators=[required(), max_length(MAX_BODY_LENGTH)],
        description=_l("Markdown: **bold**, *italics*, lists, quotes, links and ### headings."),
        render_kw={"rows": 12},
    )
    language = language_field()
    round_id = SelectField(_l("Linked round (optional)"), coerce=optional_id, validate_choice=False)
    proposal_id = SelectField(_l("Linked proposal (optional)"), coerce=optional_id, validate_choice=False)
    activity_id = SelectField(
        _l("Linked activity (optional)"),
        coerce=optional_id,
        validate_choice=False,
        description=_l("Upcoming activities first, then past ones, most recent first."),
    )

    def set_choices(self, rounds, proposals, activities=()) -> None:
        none = [("", _l("— none —"))]
        self.round_id.choices = none + [(str(i), title) for i, title in rounds]
        self.proposal_id.choices = none + [(str(i), title) for i, title in proposals]
        self.activity_id.choices = none + [(str(i), label) for i, label in activities]


class DeleteForm(BaseForm):
    pass
