"""News posts ("Aktualności"): published by moderators, listed, shown on the home page and in an Atom feed."""

from typing import Any

from flask import Blueprint, Flask

from app.activities.signals import activity_page

bp = Blueprint("news", __name__)


def register_jinja(app: Flask) -> None:
    """``round_url(round_id)`` for links to a round's page."""
    app.jinja_env.globals.update(round_url=round_url)


@activity_page.connect
def _news_on_activity_page(activity, viewer) -> dict:
    """The posts that ``news/_for_activity.html`` lists on the activity's page."""
    from app.news.queries import news_about_activity

    return {"activity_news": news_about_activity(activity)}


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
