from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.forms import BaseForm, language_field, max_length, plain_line, required
from app.proposals.models import PledgeKind
from app.proposals.services import ANSWER_MAX, BODY_MAX, CATEGORY_MAX, NEEDS_MAX, NOTE_MAX, TITLE_MAX

PLEDGE_LABELS = {
    PledgeKind.VOLUNTEER: _l("I'll help"),
    PledgeKind.COORDINATE: _l("I'll coordinate"),
    PledgeKind.RESOURCES: _l("I can provide…"),
}


class ProposalForm(BaseForm):
    title = StringField(_l("Title"), validators=[required(), max_length(TITLE_MAX), plain_line],
                        description=_l("A short name for your idea, e.g. “Repair café on Saturdays”."))
    body = TextAreaField(
        _l("Description"),
        validators=[required(), max_length(BODY_MAX)],
        description=_l("What should happen, for whom, and why. You can use Markdown: **bold**, "
                       "*italics*, lists, links."),
        render_kw={"rows": 12},
    )
    category_id = SelectField(_l("Category"), choices=[], validate_choice=True)
    cost = StringField(
        _l("Estimated cost (zł)"),
        validators=[max_length(30)],
        description=_l("Optional. For example 1 234,50 or 800. Leave empty if you do not know."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    needs = TextAreaField(
        _l("What it needs"),
        validators=[max_length(NEEDS_MAX)],
        description=_l("A room, equipment, helpers… anything the centre should know."),
        render_kw={"rows": 4},
    )
    round_id = SelectField(
        _l("Consultation round"), choices=[], validate_choice=True,
        description=_l("A round that accepts proposals now, or the idea box: ideas wait there for "
                       "a later round."),
    )
    language = language_field()


class ReviewForm(BaseForm):
    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice("accept", _l("Accept for voting")), SelectChoice("reject", _l("Reject"))],
        validators=[required(_l("Choose whether to accept or reject the proposal."))],
    )
    answer = TextAreaField(
        _l("Public answer"), validators=[max_length(ANSWER_MAX)], render_kw={"rows": 4},
        description=_l("Shown on the proposal's page and sent to the author. Required when rejecting."),
    )
    final_cost = StringField(
        _l("Final cost (zł)"), validators=[max_length(30)],
        description=_l("Optional, when accepting: the cost as the centre estimates it."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )


class PledgeForm(BaseForm):
    kind = RadioField(
        _l("How will you help?"),
        choices=[SelectChoice(str(kind), label) for kind, label in PLEDGE_LABELS.items()],
        validators=[required(_l("Choose how you want to help."))],
    )
    note = StringField(
        _l("Note"), validators=[max_length(NOTE_MAX)],
        description=_l("Required for “I can provide…”: what you can lend or bring."),
    )


class CategoryForm(BaseForm):
    name = StringField(_l("Name (Polish)"), validators=[required(), max_length(CATEGORY_MAX), plain_line])
    name_en = StringField(_l("Name (English)"), validators=[max_length(CATEGORY_MAX)])
