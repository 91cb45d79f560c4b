from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp as bp  # re-exported: the application registers routes.bp
from app.auth import services
from app.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RedeemCodeForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    SetupAdminForm,
    SignOutEverywhereForm,
)
from app.auth.identity import EMAIL, identity_hash, normalise_email
from app.auth.models import User
from app.errors import DomainError
from app.extensions import csrf, limiter
from app.forms import BaseForm
from app.htmx import redirect_to
from app.i18n import ui_language
from app.outbox.services import kept_messages
from app.urls import safe_next


def auth_limit() -> str:
    return str(current_app.config["RATELIMIT_AUTH"])


def per_address_limit() -> str:
    return str(current_app.config["RATELIMIT_PER_ADDRESS"])


def per_address(prefix: str) -> Callable[[], str]:
    """A rate-limit key per e-mail address typed in the form (whatever the IP), as a keyed hash so the
    limiter's storage holds no addresses."""
    def key() -> str:
        email = normalise_email(request.form.get("email", ""))
        return f"{prefix}:{identity_hash(prefix, EMAIL, email)}"
    return key


def _stay_signed_in(user: User) -> None:
    """After a password change the login id changes (``User.get_id``), which ends every other session;
    sign this browser in again under the new id, renewing its remember-me cookie if it has one."""
    cookie_name = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    login_user(user, remember=cookie_name in request.cookies)


def _form_error(form: BaseForm, error: DomainError, template: str, **context: Any) -> ResponseReturnValue:
    form.attach(error)
    return render_template(template, form=form, **context), error.status


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
@limiter.limit(per_address_limit, methods=["POST"], key_func=per_address("register"))
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect_to(url_for("main.index"))
    form = RegisterForm()
    if not form.validate_on_submit():
        return render_template("auth/register.html", form=form), 422 if form.errors else 200
    try:
        # None when the address has an account: its owner gets an e-mail, and this answer is the same.
        services.register(form.email.data, form.display_name.data, form.password.data, ui_language())
    except DomainError as error:
        return _form_error(form, error, "auth/register.html")
    flash(_("Thank you! We have sent an e-mail to the address you gave: follow the link in it to "
            "confirm your address, then sign in."), "success")
    return redirect_to(url_for("auth.login"))


@bp.get("/verify-email/<token>")
def verify_email(token: str) -> ResponseReturnValue:
    services.verify_email(token)
    flash(_("Thank you, your e-mail address is confirmed."), "success")
    return redirect_to(url_for("auth.profile" if current_user.is_authenticated else "auth.login"))


@bp.post("/account/resend-verification")
@login_required
@limiter.limit(auth_limit)
def resend_verification() -> ResponseReturnValue:
    services.resend_verification(current_user)
    flash(_("We have sent the confirmation link again."), "success")
    return redirect_to(url_for("auth.profile"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect_to(safe_next())
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 422 if form.errors else 200
    user = services.authenticate(form.email.data, form.password.data)
    if user is None:
        form.form_errors.append(_("Wrong e-mail address, resident number or password."))
        return render_template("auth/login.html", form=form), 422
    login_user(user, remember=form.remember.data)
    flash(_("You are signed in."), "success")
    return redirect_to(safe_next())


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        services.sign_out(current_user)
    logout_user()
    flash(_("You are signed out. See you soon!"), "success")
    return redirect_to(url_for("main.index"))


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
@limiter.limit(per_address_limit, methods=["POST"], key_func=per_address("reset"))
def request_reset() -> ResponseReturnValue:
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("auth/reset_request.html", form=form), 422 if form.errors else 200
    services.request_password_reset(form.email.data, ui_language())
    # The same answer whether or not the account exists.
    flash(_("If an account with this address exists, we have sent it a link to set a new "
            "password. The link is valid for one hour."), "success")
    return redirect_to(url_for("auth.login"))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def reset_password(token: str) -> ResponseReturnValue:
    services.user_for_reset_token(token)  # a bad or used link is refused before the form
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/reset_password.html", form=form), 422 if form.errors else 200
    try:
        user = services.reset_password(token, form.password.data)
    except DomainError as error:
        return _form_error(form, error, "auth/reset_password.html")
    login_user(user)  # under the new login id: sessions signed in with the old password have ended
    flash(_("Your new password is set and you are signed in."), "success")
    return redirect_to(url_for("auth.profile"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    form = ProfileForm(obj=current_user)
    context = {"code_form": RedeemCodeForm(formdata=None), "kept_messages": kept_messages(current_user)}
    if not form.validate_on_submit():
        return render_template("auth/profile.html", form=form, **context), 422 if form.errors else 200
    try:
        services.update_profile(current_user, form.display_name.data, form.locale.data)
    except DomainError as error:
        return _form_error(form, error, "auth/profile.html", **context)
    flash(_("Your profile is saved."), "success")
    return redirect_to(url_for("auth.profile"))


@bp.route("/account/sign-out-everywhere", methods=["GET", "POST"])
@login_required
def sign_out_everywhere() -> ResponseReturnValue:
    """Sign out of every device, this one included; a POST without ``confirm=yes`` only asks."""
    form = SignOutEverywhereForm()
    if not (form.validate_on_submit() and form.confirm.data == "yes"):
        return render_template("auth/sign_out_everywhere.html", form=form)
    services.sign_out_everywhere(current_user)
    logout_user()
    flash(_("You are signed out on all devices."), "success")
    return redirect_to(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(auth_limit, methods=["POST"])
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/change_password.html", form=form), 422 if form.errors else 200
    try:
        services.change_password(current_user, form.current_password.data, form.password.data)
    except DomainError as error:
        return _form_error(form, error, "auth/change_password.html")
    _stay_signed_in(current_user._get_current_object())
    flash(_("Your password is changed."), "success")
    return redirect_to(url_for("auth.profile"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def setup(token: str) -> ResponseReturnValue:
    services.check_setup_token(token)
    form = SetupAdminForm()
    if not form.validate_on_submit():
        return render_template("auth/setup.html", form=form), 422 if form.errors else 200
    try:
        user = services.create_first_admin(
            token, form.email.data, form.display_name.data, form.password.data, form.locale.data
        )
    except DomainError as error:
        return _form_error(form, error, "auth/setup.html")
    login_user(user)
    flash(_("The administrator account is ready. Welcome to MAM!"), "success")
    return redirect_to(url_for("residents.index"))


@bp.post("/language")
@csrf.exempt  # type: ignore[untyped-decorator]  # Flask-WTF has no types; exempt() returns the view
def set_language() -> ResponseReturnValue:
    # A visitor's choice is only a cookie, so their pages carry no token (and set no session cookie);
    # a signed-in person's choice is saved in their account, which needs the token.
    if current_user.is_authenticated:
        csrf.protect()
    lang = request.form.get("lang", "")
    services.set_locale(current_user if current_user.is_authenticated else None, lang)
    response = redirect_to(safe_next())
    response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
