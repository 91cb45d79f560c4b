"""MAM — the residents' participatory platform. ``create_app`` builds the Flask application."""

from __future__ import annotations

import logging
import os

from flask import Flask
from flask.logging import default_handler
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import build_config


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("MAM_INSTANCE_PATH") or None,
                instance_relative_config=True)
    app.config.update(build_config(app.instance_path))
    if overrides:
        app.config.update(overrides)
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask documents wrapping it so
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )

    from app.auth.passwords import configure as configure_passwords

    configure_passwords(app.config["PASSWORD_HASHING"])
    _init_extensions(app)
    _register_blueprints(app)

    from app.audit import subscribers  # noqa: F401  (listens to the core layer's signals)
    from app.errors import register_error_handlers
    from app.http_cache import register_http_cache
    from app.notifications import subscribers as notification_subscribers  # noqa: F401
    from app.outbox.services import register_outbox
    from app.security import register_security_headers

    register_error_handlers(app)
    register_security_headers(app)
    register_http_cache(app)
    register_outbox(app)

    from app.cli import register_cli

    register_cli(app)
    _configure_jinja(app)
    from app import page_cache

    page_cache.install(app)  # outermost: a copy costs no Flask request
    return app


def _init_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every model known to SQLAlchemy and Alembic)
    from app.db import db
    from app.extensions import babel, csrf, limiter, login_manager
    from app.i18n import select_locale, vary_on_language

    db.init_app(app)
    from app.db import ping_idle_connections

    with app.app_context():
        ping_idle_connections(db.engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
    from app.migrating import register_migrations

    register_migrations(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(vary_on_language)
    limiter.init_app(app)
    # Flask-Limiter says through its own logger when the rate-limit storage is unreachable and each process
    # counts on its own: write that where the app's own warnings go (stderr, collected by gunicorn).
    limiter_log = logging.getLogger("flask-limiter")
    if default_handler not in limiter_log.handlers:
        limiter_log.addHandler(default_handler)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Sign in to see this page.")

    @login_manager.user_loader
    def load_user(login_id: str):
        from app.auth.services import user_for_login_id

        return user_for_login_id(login_id)


def _register_blueprints(app: Flask) -> None:
    from app.urls import IdConverter, LazyRule

    app.url_rule_class = LazyRule
    app.url_map.converters["id"] = IdConverter
    # Importing a package's routes module attaches its views to the package's blueprint.
    from app.activities import routes as activities_routes
    from app.auth import routes as auth_routes
    from app.centre import routes as centre_routes
    from app.discussion import routes as discussion_routes
    from app.main import routes as main_routes
    from app.media import routes as media_routes
    from app.news import routes as news_routes
    from app.notifications import routes as notifications_routes
    from app.proposals import routes as proposals_routes
    from app.residents import routes as residents_routes
    from app.rounds import routes as rounds_routes
    from app.votes import bp as votes_bp

    app.register_blueprint(centre_routes.bp)
    app.register_blueprint(media_routes.bp)
    for blueprint in (main_routes.bp, auth_routes.bp, residents_routes.bp, proposals_routes.bp, votes_bp):
        app.register_blueprint(blueprint)
    for blueprint in (discussion_routes.bp, news_routes.bp, rounds_routes.bp, activities_routes.bp,
                      notifications_routes.bp):
        app.register_blueprint(blueprint)
    from app.api import routes as api_routes
    from app.desk import routes as desk_routes
    from app.exports import routes as exports_routes
    from app.privacy import routes as privacy_routes
    from app.search import index as _search_index  # noqa: F401  (keeps the search entries up to date)
    from app.search import routes as search_routes

    for blueprint in (exports_routes.bp, api_routes.bp, privacy_routes.bp, search_routes.bp, desk_routes.bp):
        app.register_blueprint(blueprint)


def _configure_jinja(app: Flask) -> None:
    from app.auth.numbers import resident_number
    from app.htmx import is_htmx
    from app.i18n import register_filters, ui_language
    from app.static_files import htmx_path

    app.jinja_env.add_extension("jinja2.ext.do")
    register_filters(app)
    app.jinja_env.globals.update(is_htmx=is_htmx, htmx_path=htmx_path, current_locale=ui_language,
                                 resident_number=resident_number)

    from app import activities, discussion, media, news, notifications

    notifications.register_jinja(app)
    discussion.register_jinja(app)
    news.register_jinja(app)
    activities.register_jinja(app)
    media.register_jinja(app)
    _register_pictures()


def _register_pictures() -> None:
    """Each feature tells the media layer about the subjects that have pictures."""
    from app.activities.pictures import register_pictures as activities_pictures
    from app.news.pictures import register_pictures as news_pictures
    from app.proposals.pictures import register_pictures as proposals_pictures

    for register in (proposals_pictures, activities_pictures, news_pictures):
        register()
