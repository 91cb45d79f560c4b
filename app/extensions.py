"""Flask extensions, created unbound and initialised in the application factory."""

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from app.db import db

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def per_user(prefix: str):
    """A rate-limit key per signed-in person (for views behind ``login_required``): the account id, not
    the login id, which changes with the password (a new password must not reset the limits)."""
    return lambda: f"{prefix}:{getattr(current_user, 'id', None)}"


def contributions_limit() -> str:
    """New proposals, pledges and room requests: each writes rows others see or e-mails moderators."""
    return current_app.config["RATELIMIT_CONTRIBUTIONS"]


__all__ = ["babel", "contributions_limit", "csrf", "db", "limiter", "login_manager", "per_user"]
