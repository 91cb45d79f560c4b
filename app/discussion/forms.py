from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Optional

from app.discussion.services import MAX_COMMENT_LENGTH, MAX_REASON_LENGTH
from app.forms import BaseForm, IdField, language_field, max_length, required


class CommentForm(BaseForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[required(_l("Write your comment first.")), max_length(MAX_COMMENT_LENGTH)],
        description=_l("You can use simple Markdown: **bold**, *italics*, lists, quotes and links."),
    )
    parent_id = IdField(validators=[Optional()])
    language = language_field()


class ReasonForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[required(_l("Give a reason.")), max_length(MAX_REASON_LENGTH)],
    )
