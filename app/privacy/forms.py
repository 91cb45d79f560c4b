from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField

from app.forms import BaseForm, required


class DeleteAccountForm(BaseForm):
    password = PasswordField(
        _l("Your password"), validators=[required()], render_kw={"autocomplete": "current-password"}
    )
