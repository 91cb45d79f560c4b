"""Final and destructive actions confirm without JavaScript (app/confirmation.py, templates/_confirm.html).

``ACTIONS`` lists every action a template guards with ``data-confirm``. For each: a POST without
``confirm=yes`` answers the Polish confirmation page and writes nothing; the same POST with it acts.
``test_every_data_confirm_in_the_templates_has_a_case`` fails when a template guards a new form with
``data-confirm`` and no case here tests its route.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.activities.models import RoomRequest
from app.proposals.models import Pledge, Status
from tests.activities.factories import make_activity, make_place, sign
from tests.activities.route_cases import in_days
from tests.discussion.factories import make_comment, make_flag
from tests.discussion.factories import make_proposal as make_discussed_proposal
from tests.media.route_cases import hidden_picture, proposal_with_pictures
from tests.news.route_cases import news_post
from tests.proposals.factories import make_category
from tests.proposals.factories import make_proposal as make_idea
from tests.rounds.factories import ballot_round, make_round
from tests.test_permissions import db_state

TEMPLATES = Path(__file__).resolve().parents[1] / "app" / "templates"
CONFIRM_PAGE = "Czy na pewno?"
GO_BACK = "Nie, wróć"


@dataclass
class Prepared:
    """What a case sets up: who acts, where it posts, the form's own fields, the rows it acts on."""

    actor: object
    url: str
    data: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Action:
    endpoint: str
    prepare: Callable  # (session, users) -> Prepared
    says: str  # the start of the Polish sentence saying what will happen
    yes: str  # the Polish "Tak, …" button
    done: Callable  # (prepared, state before, state after): the action happened

    @property
    def id(self) -> str:
        return self.endpoint


def _row(state, table, id_):
    [row] = [row for row in state[table] if row.id == id_]
    return row


def _gone(state, table, id_) -> bool:
    return all(row.id != id_ for row in state[table])


def _last_audit(state) -> str:
    return state["audit_events"][-1].action


# --- proposals, pledges, categories ----------------------------------------------------------------

def _own_draft(session, users):
    actor = users.resident()
    proposal = make_idea(session, actor, status=Status.DRAFT)
    return Prepared(actor, "", ids={"proposal": proposal.id})


def _submit(session, users):
    prepared = _own_draft(session, users)
    prepared.url = f"/proposals/{prepared.ids['proposal']}/submit"
    return prepared


def _discard(session, users):
    prepared = _own_draft(session, users)
    prepared.url = f"/proposals/{prepared.ids['proposal']}/discard"
    return prepared


def _withdraw(session, users):
    actor = users.resident()
    proposal = make_idea(session, actor)
    return Prepared(actor, f"/proposals/{proposal.id}/withdraw", ids={"proposal": proposal.id})


def _unpledge(session, users):
    actor = users.resident()
    proposal = make_idea(session, users.resident())
    pledge = Pledge(proposal_id=proposal.id, user_id=actor.id, kind="volunteer")
    session.add(pledge)
    proposal.pledge_count = 1
    session.commit()
    return Prepared(actor, f"/proposals/{proposal.id}/pledges/{pledge.id}/withdraw",
                    ids={"pledge": pledge.id})


def _deactivate_category(session, users):
    category = make_category(session, name="Zieleń i podwórka")
    return Prepared(users.moderator(), f"/categories/{category.id}/active", {"active": "0"},
                    ids={"category": category.id})


# --- discussion -------------------------------------------------------------------------------------

def _delete_comment(session, users):
    actor = users.resident()
    comment = make_comment(session, make_discussed_proposal(session, users.resident()), actor)
    return Prepared(actor, f"/comments/{comment.id}/delete", ids={"comment": comment.id})


def _hidden(session, users):
    proposal = make_discussed_proposal(session, users.resident(), hidden=True)
    comment = make_comment(session, proposal, users.resident(), state="hidden", count=False)
    return proposal, comment


def _restore_comment(session, users):
    proposal, comment = _hidden(session, users)
    return Prepared(users.moderator(), f"/moderation/comments/{comment.id}/restore",
                    {"from": "thread", "next": f"/proposals/{proposal.id}#comment-{comment.id}"},
                    ids={"comment": comment.id})


def _restore_proposal(session, users):
    proposal, _ = _hidden(session, users)
    return Prepared(users.moderator(), f"/moderation/proposals/{proposal.id}/restore",
                    {"next": "/moderation/hidden?kind=proposal"}, ids={"proposal": proposal.id})


def _flagged(session, users):
    proposal = make_discussed_proposal(session, users.resident())
    comment = make_comment(session, proposal, users.resident())
    make_flag(session, users.resident(), comment=comment, reason="Obraża sąsiadów")
    make_flag(session, users.resident(), proposal=proposal, reason="Reklama")
    return proposal, comment


def _dismiss_comment_flags(session, users):
    _, comment = _flagged(session, users)
    return Prepared(users.moderator(), f"/moderation/comments/{comment.id}/dismiss",
                    ids={"comment": comment.id})


def _dismiss_proposal_flags(session, users):
    proposal, _ = _flagged(session, users)
    return Prepared(users.moderator(), f"/moderation/proposals/{proposal.id}/dismiss",
                    ids={"proposal": proposal.id})


# --- activities --------------------------------------------------------------------------------------

def _cancel_activity(session, users):
    activity = make_activity(session, coordinator=users.resident())
    return Prepared(users.moderator(), f"/activities/{activity.id}/cancel",
                    {"reason": "Awaria ogrzewania w świetlicy."}, ids={"activity": activity.id})


def _cancel_signup(session, users):
    actor = users.resident()
    activity = make_activity(session, capacity=10)
    signup = sign(session, activity, actor)
    return Prepared(actor, f"/activities/{activity.id}/signup/cancel", ids={"signup": signup.id})


def _cancel_volunteer(session, users):
    actor = users.resident()
    activity = make_activity(session, roles=[("przynieść herbatę", 2)])
    role = activity.roles[0]
    signup = sign(session, activity, actor, role=role)
    return Prepared(actor, f"/activities/{activity.id}/roles/{role.id}/cancel", ids={"signup": signup.id})


def _reset_calendar_link(session, users):
    actor = users.resident()
    actor.calendar_token = "stary-link-do-kalendarza-" + "x" * 20
    session.commit()
    return Prepared(actor, "/activities/mine/calendar-link", {"reset": "1"}, ids={"user": actor.id})


def _decline_request(session, users):
    item = RoomRequest(requester_id=users.resident().id, title="Koło szachowe", description="Gramy w szachy.",
                       place_id=make_place(session).id, starts_at=in_days(9), ends_at=in_days(9, 20),
                       status="pending")
    session.add(item)
    session.commit()
    return Prepared(users.moderator(), f"/activities/rooms/{item.id}/decline",
                    {"reason": "Sala jest wtedy zajęta.\nZapraszamy w czwartek."}, ids={"request": item.id})


# --- news, residents, rounds, the account ---------------------------------------------------------

def _delete_news(session, users):
    actor = users.moderator()
    post_id = news_post(session, users, actor)["post_id"]
    return Prepared(actor, f"/news/{post_id}/delete", ids={"post": post_id})


def _verify(session, users):
    target = users.unverified()
    return Prepared(users.moderator(), f"/residents/{target.id}/verify", {"next": "/residents?q=Za"},
                    ids={"user": target.id})


def _revoke(session, users):
    target = users.resident()
    return Prepared(users.moderator(), f"/residents/{target.id}/revoke", ids={"user": target.id})


def _set_role(session, users):
    target = users.resident()
    return Prepared(users.admin(), f"/residents/{target.id}/role", {"role": "moderator"},
                    ids={"user": target.id})


def _reissue_slip(session, users):
    from app.residents import front_desk

    moderator = users.moderator()
    person = users.front_desk(name="Stanisława Kowalczyk", flat="14")
    earlier = front_desk.issue_sign_in_slip(moderator, person)
    return Prepared(moderator, f"/residents/{person.id}/slip", ids={"user": person.id,
                                                                  "reference": earlier.reference})


def _advance(session, users):
    round_ = make_round(session, "draft")
    return Prepared(users.moderator(), f"/rounds/{round_.id}/advance", {"expected_phase": "draft"},
                    ids={"round": round_.id})


def _cast_secret(session, users):
    round_, proposals = ballot_round(session, n=3)
    assert round_.secrecy == "secret"
    return Prepared(users.resident(), f"/rounds/{round_.id}/vote",
                    {"choice": [str(proposals[0].id), str(proposals[2].id)]}, ids={"round": round_.id})


def _remove_picture(session, users):
    values = proposal_with_pictures(session, users, None)
    return Prepared(users.moderator(), f"/media/pictures/{values['image_id']}/remove",
                    ids={"image": values["image_id"]})


def _restore_picture(session, users):
    values = hidden_picture(session, users, None)
    return Prepared(users.moderator(), f"/media/pictures/{values['image_id']}/restore",
                    ids={"image": values["image_id"]})


def _delete_account(session, users):
    from tests.factories import PASSWORD

    actor = users.resident()
    return Prepared(actor, "/account/delete", {"password": PASSWORD}, ids={"user": actor.id})


ACTIONS = [
    Action("proposals.submit", _submit, "Opublikujesz propozycję „", "Tak, opublikuj propozycję",
           lambda p, b, a: _row(a, "proposals", p.ids["proposal"]).status == Status.SUBMITTED),
    Action("proposals.withdraw", _withdraw, "Wycofasz propozycję „", "Tak, wycofaj propozycję",
           lambda p, b, a: _row(a, "proposals", p.ids["proposal"]).status == Status.WITHDRAWN),
    Action("proposals.discard", _discard, "Usuniesz szkic „", "Tak, usuń szkic",
           lambda p, b, a: _gone(a, "proposals", p.ids["proposal"])),
    Action("proposals.unpledge", _unpledge, "Wycofasz swoją deklarację pomocy",
           "Tak, wycofaj moją deklarację",
           lambda p, b, a: _gone(a, "pledges", p.ids["pledge"])),
    Action("proposals.toggle_category", _deactivate_category, "Kategorii „Zieleń i podwórka” nie będzie",
           "Tak, wyłącz kategorię", lambda p, b, a: not _row(a, "categories", p.ids["category"]).active),
    Action("discussion.delete_comment", _delete_comment, "Usuniesz swój komentarz", "Tak, usuń komentarz",
           lambda p, b, a: _row(a, "comments", p.ids["comment"]).state == "deleted"),
    Action("discussion.restore_comment", _restore_comment, "Ukryty komentarz pod propozycją",
           "Tak, przywróć komentarz",
           lambda p, b, a: _row(a, "comments", p.ids["comment"]).state == "visible"),
    Action("discussion.restore_proposal", _restore_proposal, "Propozycja „", "Tak, upublicznij ponownie",
           lambda p, b, a: _row(a, "proposals", p.ids["proposal"]).hidden_at is None),
    Action("discussion.dismiss_comment_flags", _dismiss_comment_flags, "Zgłoszenia dotyczące tego komentarza",
           "Tak, odrzuć zgłoszenia", lambda p, b, a: _last_audit(a) == "comment.flags_dismissed"),
    Action("discussion.dismiss_proposal_flags", _dismiss_proposal_flags, "Zgłoszenia dotyczące propozycji",
           "Tak, odrzuć zgłoszenia", lambda p, b, a: _last_audit(a) == "proposal.flags_dismissed"),
    Action("activities.cancel", _cancel_activity, "Odwołasz wydarzenie „", "Tak, odwołaj wydarzenie",
           lambda p, b, a: _row(a, "activities", p.ids["activity"]).status == "cancelled"),
    Action("activities.cancel_signup", _cancel_signup, "Wypiszesz się z wydarzenia „", "Tak, wypisz mnie",
           lambda p, b, a: _row(a, "signups", p.ids["signup"]).status == "cancelled"),
    Action("activities.cancel_volunteer", _cancel_volunteer, "Zrezygnujesz z pomocy przy wydarzeniu „",
           "Tak, rezygnuję", lambda p, b, a: _row(a, "signups", p.ids["signup"]).status == "cancelled"),
    Action("activities.calendar_link", _reset_calendar_link, "Dostaniesz nowy link do kalendarza",
           "Tak, utwórz nowy link",
           lambda p, b, a: _row(a, "users", p.ids["user"]).calendar_token != _row(b, "users", p.ids["user"])
           .calendar_token),
    Action("activities.decline_request", _decline_request, "Odrzucisz prośbę „Koło szachowe”",
           "Tak, odrzuć prośbę",
           lambda p, b, a: _row(a, "room_requests", p.ids["request"]).status == "declined"),
    Action("news.delete", _delete_news, "Usuniesz aktualność „Dyżur w świetlicy”", "Tak, usuń aktualność",
           lambda p, b, a: _gone(a, "news_posts", p.ids["post"])),
    Action("residents.verify", _verify, "Potwierdzasz po osobistym sprawdzeniu",
           "Tak, potwierdzam weryfikację",
           lambda p, b, a: _row(a, "users", p.ids["user"]).resident_verified_at is not None),
    Action("residents.revoke", _revoke, "Wycofasz weryfikację osoby", "Tak, wycofaj weryfikację",
           lambda p, b, a: _row(a, "users", p.ids["user"]).resident_verified_at is None),
    Action("residents.set_role", _set_role, "otrzyma rolę: Moderator", "Tak, zmień rolę",
           lambda p, b, a: _row(a, "users", p.ids["user"]).role == "moderator"),
    Action("residents.issue_slip", _reissue_slip, "Kartka logowania ", "Tak, wydrukuj nową kartkę",
           lambda p, b, a: [row.voided_at is not None for row in a["sign_in_codes"]] == [True, False]),
    Action("rounds.advance", _advance, "Runda przejdzie z fazy „Szkic” do fazy",
           "Tak, otwórz zgłaszanie propozycji",
           lambda p, b, a: _row(a, "rounds", p.ids["round"]).phase == "submission"),
    Action("rounds.cast", _cast_secret, "Oddasz głos w rundzie „", "Tak, oddaj głos",
           lambda p, b, a: len(a["ballots"]) == len(b["ballots"]) + 1
           and [row.round_id for row in a["participations"]] == [p.ids["round"]]),
    Action("media.remove", _remove_picture, "Zdjęcie „Podwórko przy bloku 5” zostanie usunięte",
           "Tak, usuń zdjęcie", lambda p, b, a: _gone(a, "images", p.ids["image"])),
    Action("media.restore", _restore_picture, "Ukryte zdjęcie „Podwórko przy bloku 5” znów będzie widoczne",
           "Tak, pokaż zdjęcie ponownie",
           lambda p, b, a: _row(a, "images", p.ids["image"]).hidden_at is None),
    Action("privacy.delete", _delete_account, "Usuniesz swoje konto na zawsze", "Tak, usuń moje konto",
           lambda p, b, a: _row(a, "users", p.ids["user"]).password_hash != _row(b, "users", p.ids["user"])
           .password_hash),
]


def _post(client, prepared: Prepared, **extra):
    data = {**prepared.data, **extra}
    return client.post(prepared.url, data)


def _hidden_inputs(page: str) -> list[tuple[str, str]]:
    return [(html.unescape(name), html.unescape(value))
            for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)]


@pytest.mark.parametrize("action", ACTIONS, ids=[action.id for action in ACTIONS])
def test_without_confirmation_the_page_asks_and_nothing_changes(action, client, users, session):
    prepared = action.prepare(session, users)
    client.login(prepared.actor)
    before = db_state(session)

    response = _post(client, prepared)

    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:2000]
    assert db_state(session) == before
    assert f"<h1 id=\"confirm-title\">{CONFIRM_PAGE}</h1>" in page
    assert html.escape(action.says, quote=False) in page
    assert f">{action.yes}</button>" in page
    assert GO_BACK in page
    assert "no-store" in response.headers["Cache-Control"]
    # The "Tak" form repeats the request: same address, every field, a fresh token and confirm=yes.
    form = page[page.index('<form method="post" action="' + prepared.url):]
    carried = _hidden_inputs(form[: form.index("</form>")])
    assert ("confirm", "yes") in carried
    assert [name for name, _ in carried].count("csrf_token") == 1
    for name, value in prepared.data.items():
        for one in value if isinstance(value, list) else [value]:
            assert (name, one) in carried


@pytest.mark.parametrize("action", ACTIONS, ids=[action.id for action in ACTIONS])
def test_with_confirmation_the_action_is_carried_out(action, client, users, session):
    prepared = action.prepare(session, users)
    client.login(prepared.actor)
    before = db_state(session)

    response = _post(client, prepared, confirm="yes")

    assert response.status_code in (200, 303), response.get_data(as_text=True)[:2000]
    assert CONFIRM_PAGE not in response.get_data(as_text=True)
    assert action.done(prepared, before, db_state(session))


def test_only_yes_confirms(client, users, session):
    prepared = _withdraw(session, users)
    client.login(prepared.actor)
    before = db_state(session)
    for value in ("", "no", "YES", "1"):
        response = _post(client, prepared, confirm=value)
        assert response.status_code == 200 and CONFIRM_PAGE in response.get_data(as_text=True)
    assert db_state(session) == before


def test_go_back_leads_to_the_page_the_request_came_from_on_this_site_only(client, users, session):
    prepared = _withdraw(session, users)
    client.login(prepared.actor)
    show = f"/proposals/{prepared.ids['proposal']}"

    def back_link(referrer: str | None) -> str:
        headers = {"Referer": referrer} if referrer else {}
        page = client.post(prepared.url, prepared.data, headers=headers).get_data(as_text=True)
        return html.unescape(re.search(r'<a class="button button-secondary" href="([^"]+)">' + GO_BACK, page)
                             .group(1))

    assert back_link("http://localhost/proposals/mine?status=submitted") == "/proposals/mine?status=submitted"
    assert back_link("https://evil.example/phish") == show
    assert back_link(None) == show
    assert back_link(f"http://localhost{prepared.url}") == show  # the action's own address takes no GET


def test_an_htmx_request_without_confirmation_shows_the_page_in_place_of_the_body(client, users, session):
    prepared = _delete_comment(session, users)
    client.login(prepared.actor)
    before = db_state(session)
    response = client.post(prepared.url, prepared.data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "body"
    assert CONFIRM_PAGE in response.get_data(as_text=True)
    assert db_state(session) == before


def test_secret_ballot_only_public_ballot_needs_no_confirmation(client, users, session):
    round_, proposals = ballot_round(session, n=2, secrecy="public")
    client.login(users.resident())
    response = client.post(f"/rounds/{round_.id}/vote", {"choice": [str(proposals[0].id)]})
    assert response.status_code == 303
    assert CONFIRM_PAGE not in response.get_data(as_text=True)


# --- every data-confirm in the templates has a case ------------------------------------------------

# Forms whose address is built from variables: the endpoints they can post to.
DYNAMIC_FORMS = {
    ("discussion/hidden.html", "{{ action }}"): {"discussion.restore_comment", "discussion.restore_proposal"},
    ("discussion/_queue.html", "discussion.dismiss_' ~ group.kind ~ '_flags'"): {
        "discussion.dismiss_comment_flags", "discussion.dismiss_proposal_flags"},
    ("desk/index.html", "discussion.dismiss_' ~ group.kind ~ '_flags'"): {
        "discussion.dismiss_comment_flags", "discussion.dismiss_proposal_flags"},
    ("privacy/delete.html", ""): {"privacy.delete"},  # posts to its own address
}


# The post_button macro's form (macros/forms.html) asks for confirmation when it is called with confirm=.
POST_BUTTON = re.compile(r"post_button\(url_for\('([\w.]+)'[^)]*\)(?:[^{}]|\{[^{}]*\})*?confirm=", re.S)


def guarded_endpoints() -> set[str]:
    """The endpoints of every form in the templates that has a button with data-confirm."""
    found = set()
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        source = path.read_text(encoding="utf-8")
        found |= set(POST_BUTTON.findall(source))
        if name == "macros/forms.html":
            continue
        for match in re.finditer(r"data-confirm=", source):
            form = source[source.rindex("<form", 0, match.start()):match.start()]
            tag = form[: form.index(">", form.index("method=")) + 1]
            endpoint = re.search(r"url_for\('([\w.]+)'\s*[,)]", tag)
            if endpoint:
                found.add(endpoint.group(1))
                continue
            key = next((k for k in DYNAMIC_FORMS if k[0] == name and k[1] in tag), None)
            assert key is not None, f"{name}: a data-confirm form whose endpoint this test cannot tell: {tag}"
            found |= DYNAMIC_FORMS[key]
    return found


def test_every_data_confirm_in_the_templates_has_a_case():
    guarded = guarded_endpoints()
    assert len(guarded) >= 20
    tested = {action.endpoint for action in ACTIONS}
    assert guarded - tested == set(), "add these actions to ACTIONS and guard their routes"
    assert tested - guarded == set(), "ACTIONS lists routes no template asks to confirm"
