"""Notifications, follows and e-mail choices (DESIGN §8, layer 3).

Features call ``services.notify(...)`` in their own transaction and ``services.follow(...)`` for
automatic follows; they register what can be followed with ``subjects.register``. Routes in ``routes``.
"""

from flask import Blueprint, Flask

bp = Blueprint("notifications", __name__)


def register_jinja(app: Flask) -> None:
    """``unread_notifications()`` for the header, ``is_following(kind, id)`` for follow buttons, and
    ``notification_text(n)`` / ``notification_detail_label(n)`` for lists and e-mails."""
    from flask_login import current_user

    from app.notifications.events import detail_label, message
    from app.notifications.services import is_following, unread_count

    app.jinja_env.globals.update(
        unread_notifications=lambda: unread_count(current_user),
        is_following=lambda kind, subject_id: is_following(current_user, kind, subject_id),
        notification_text=lambda n: message(n.event, n.subject_title, n.actor_name),
        notification_detail_label=lambda n: detail_label(n.event) or "",
    )
