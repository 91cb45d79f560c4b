"""The volunteer roles of an activity: written one per line in the form ("set up the room: 2"), and
changed without taking a slot from anyone who signed up for it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.activities import queries
from app.activities.models import Activity, VolunteerRole
from app.errors import InvalidInput
from app.forms import FORBIDDEN_CHARACTERS
from app.numbers import parse_whole

MAX_ROLES = 20
MAX_SLOTS = 100
MAX_NAME = 120


def parse_roles(text: str) -> list[tuple[str, int]]:
    """ "set up the room: 2" per line → [("set up the room", 2)]; a line without a number means 1 slot."""
    roles: list[tuple[str, int]] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        name, slots = _parse_line(line)
        if any(existing.casefold() == name.casefold() for existing, _ in roles):
            raise InvalidInput(_l("The role “%(name)s” is listed twice.", name=name), field="roles")
        roles.append((name, slots))
    if len(roles) > MAX_ROLES:
        raise InvalidInput(_l("List at most %(max)d roles.", max=MAX_ROLES), field="roles")
    return roles


def _parse_line(line: str) -> tuple[str, int]:
    name, slots = line, 1
    if ":" in line:
        head, _, tail = line.rpartition(":")
        number = parse_whole(tail)
        if number is not None:
            name, slots = head.strip(), number
    if not name or slots < 1 or slots > MAX_SLOTS:
        raise InvalidInput(
            _l(
                "Write each role on its own line as “name: number of people” "
                "(1 to 100), e.g. “bring tea: 1”."
            ),
            field="roles",
        )
    if len(name) > MAX_NAME or FORBIDDEN_CHARACTERS.search(name):
        raise InvalidInput(
            _l("A role's name may have at most %(max)d characters.", max=MAX_NAME), field="roles"
        )
    return name, slots


def roles_text(activity: Activity) -> str:
    return "\n".join(f"{role.name}: {role.slots}" for role in activity.roles)


def sync_roles(activity: Activity, roles: list[tuple[str, int]]) -> None:
    """Make the activity's roles the ones listed: a role someone signed up for is never removed, nor
    given fewer slots than are taken (the caller flushes)."""
    existing = {role.name.casefold(): role for role in activity.roles}
    wanted = {name.casefold() for name, _ in roles}
    for key, old in existing.items():
        if key in wanted:
            continue
        if queries.live_count(activity.id, old.id):
            raise InvalidInput(
                _l("Volunteers have signed up for “%(name)s”; it cannot be removed.", name=old.name),
                field="roles",
            )
        activity.roles.remove(old)
    for name, slots in roles:
        role = existing.get(name.casefold())
        if role is None:
            activity.roles.append(VolunteerRole(name=name, slots=slots))
            continue
        taken = queries.live_count(activity.id, role.id)
        if slots < taken:
            raise InvalidInput(
                _l(
                    "%(num)d volunteers have signed up for “%(name)s”; it needs at least as many slots.",
                    num=taken,
                    name=role.name,
                ),
                field="roles",
            )
        role.name, role.slots = name, slots
