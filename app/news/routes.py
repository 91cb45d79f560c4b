from __future__ import annotations

from flask import flash, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.confirmation import confirmation_needed
from app.db import db
from app.errors import DomainError, NotFound
from app.htmx import redirect_to, render
from app.i18n import ui_language
from app.media.queries import pictures_for_page
from app.news import bp, permissions, queries, services
from app.news.feed import CONTENT_TYPE, atom_feed
from app.news.forms import DeleteForm, NewsForm
from app.news.models import NewsPost
from app.permissions import require
from app.urls import page_arg

FEED_SIZE = 20
PAGE_SIZE = 10


def _post_or_404(post_id: int) -> NewsPost:
    post = db.session.get(NewsPost, post_id)
    if post is None:
        raise NotFound()
    return post


def _form_page(form: NewsForm, post: NewsPost | None = None, error: DomainError | None = None):
    if error is not None:
        form.attach(error)
    status = 422 if form.errors else 200
    return render_template("news/form.html", form=form, post=post), status


def _form(post: NewsPost | None = None) -> NewsForm:
    form = NewsForm(obj=post)
    form.set_choices(queries.round_choices(), queries.proposal_choices(), queries.activity_choices())
    return form


@bp.get("/news")
def index():
    page = db.paginate(queries.news_posts(), page=page_arg(), per_page=PAGE_SIZE, error_out=False)
    return render("news/index.html", "news/_list.html", page=page,
                  can_manage=permissions.can_manage_news(current_user))


@bp.get("/news/<id:post_id>")
def show(post_id: int):
    can_manage = permissions.can_manage_news(current_user)
    post = _post_or_404(post_id)
    # The form (and its CSRF token, a session cookie) only for those who see it: readers get a cacheable page.
    return render_template("news/show.html", post=post, pictures=pictures_for_page("news", post),
                           delete_form=DeleteForm() if can_manage else None, can_manage=can_manage)


@bp.get("/news.atom")
def feed():
    posts = list(db.session.scalars(queries.news_posts().limit(FEED_SIZE)))
    body = atom_feed(posts, _("News") + " · MAM Na Kozłówce",
                     _("News from the Residents' Activity Place Na Kozłówce"), ui_language())
    response = make_response(body)
    response.headers["Content-Type"] = CONTENT_TYPE
    return response


@bp.route("/news/new", methods=["GET", "POST"])
@login_required
def new():
    require(permissions.can_manage_news(current_user))
    form = _form()
    if not form.validate_on_submit():
        return _form_page(form)
    try:
        post = services.publish(current_user, form.title.data, form.body.data, form.round_id.data,
                                form.proposal_id.data, form.activity_id.data, language=form.language.data)
    except DomainError as error:
        return _form_page(form, error=error)
    flash(_("The news post is published."), "success")
    return redirect_to(url_for("news.show", post_id=post.id))


@bp.route("/news/<id:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    require(permissions.can_manage_news(current_user))
    post = _post_or_404(post_id)
    form = _form(post)
    if not form.validate_on_submit():
        return _form_page(form, post)
    try:
        services.edit(current_user, post, form.title.data, form.body.data, form.round_id.data,
                      form.proposal_id.data, form.activity_id.data, language=form.language.data)
    except DomainError as error:
        return _form_page(form, post, error)
    flash(_("The news post is saved."), "success")
    return redirect_to(url_for("news.show", post_id=post.id))


@bp.post("/news/<id:post_id>/delete")
@login_required
def delete(post_id: int):
    require(permissions.can_manage_news(current_user))
    post = _post_or_404(post_id)
    if not DeleteForm().validate():
        raise DomainError()
    if page := confirmation_needed(
        _("You will delete the news post “%(title)s”. It cannot be restored.", title=post.title),
        _("Yes, delete the news post"), url_for("news.show", post_id=post.id), danger=True,
    ):
        return page
    services.delete(current_user, post)
    flash(_("The news post is deleted."), "success")
    return redirect_to(url_for("news.index"))

