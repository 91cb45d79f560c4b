"""Notifications, follows and e-mail choices (DESIGN §8, layer 3).

Features call ``services.notify(...)`` in their own transaction and ``services.follow(...)`` for
automatic follows; they register what can be followed with ``subjects.register``. Routes in ``routes``.
"""

from flask import Blueprint, Flask

bp = Blueprint("notifications", __name__)


def register_jinja(app: Flask) -> None:
    """``unread_notifications`` (a number) for the header, and ``notification_text(n)`` /
    ``notification_detail_label(n)`` for lists and e-mails. A follow button gets ``following`` from the route
    of its page (``services.is_following``)."""
    from app.notifications.events import detail_label, message

    app.context_processor(_unread_notifications)
    app.jinja_env.globals.update(
        notification_text=lambda n: message(n.event, n.subject_title, n.actor_name),
        notification_detail_label=lambda n: detail_label(n.event) or "",
    )


def _unread_notifications() -> dict:
    """The header's unread count, for a whole page of someone signed in: read once per request, here, so the
    header's template does not query (an HTMX fragment has no header; the count's own route passes it)."""
    from flask import g, has_request_context
    from flask_login import current_user

    from app.htmx import is_htmx
    from app.notifications.services import unread_count

    if not has_request_context() or is_htmx() or not current_user.is_authenticated:
        return {}
    if "unread_notifications" not in g:
        g.unread_notifications = unread_count(current_user)
    return {"unread_notifications": g.unread_notifications}


def read_header_now() -> None:
    """Read the header's unread count now, in the transaction under way: for a page rendered after the
    request's commit (a ballot's receipt), which would otherwise open a second transaction for it."""
    _unread_notifications()
