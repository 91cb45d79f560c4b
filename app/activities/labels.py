"""An activity's status in words, the same on its page, in the calendar and in the reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.activities.models import ActivityStatus

STATUS_LABELS = {
    ActivityStatus.PLANNED: _l("Planned"),
    ActivityStatus.HELD: _l("Held"),
    ActivityStatus.CANCELLED: _l("Cancelled"),
}
