"""News posts ("Aktualności"): published by moderators, listed, shown on the home page and in an Atom feed."""

from typing import Any

from flask import Blueprint, Flask

bp = Blueprint("news", __name__)


def register_jinja(app: Flask) -> None:
    """``latest_news(n)`` for the home page's News section; ``news_about_activity(activity)`` for the
    activity page (``news/_for_activity.html``)."""
    from app.news.queries import latest_news, news_about_activity

    app.jinja_env.globals.update(latest_news=latest_news, news_about_activity=news_about_activity,
                                 round_url=round_url)


ROUND_PAGE_ENDPOINTS = ("rounds.show", "rounds.detail", "rounds.view")


def round_url(round_id: int) -> str | None:
    """The page of a round, once the rounds package has one."""
    from flask import current_app, url_for
    from werkzeug.routing import BuildError

    for endpoint in ROUND_PAGE_ENDPOINTS:
        if endpoint in current_app.view_functions:
            for argument in ("round_id", "id"):
                try:
                    values: dict[str, Any] = {argument: round_id}
                    return url_for(endpoint, **values)
                except BuildError:
                    continue
    return None
