"""The kinds of subject that can have pictures. Each feature registers its own kind at start-up (the
media layer never imports the features): how to load a subject, who may manage its pictures, how many
it may have, and the words and link that name it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.errors import NotFound
from app.permissions import Decision


@dataclass(frozen=True)
class Kind:
    name: str  # "proposal", stored in images.subject_kind
    limit: int  # how many pictures one subject may have
    # Each kind has its own subject (a proposal, a news post, …): to the media layer, it is Any.
    load: Callable[[int], Any]  # the subject with this id, or None
    can_view: Callable[[Any, Any], Decision]  # (actor, subject): may see the subject at all
    can_manage: Callable[[Any, Any], Decision]  # (actor, subject): may add, change, remove
    title: Callable[[Any], str]  # the subject's name, shown on the pictures page
    url: Callable[[Any], str]  # the subject's page


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _KINDS[kind.name] = kind


def kind_named(name: str) -> Kind:
    kind = _KINDS.get(name)
    if kind is None:
        raise NotFound()
    return kind


def subject_of(kind: Kind, subject_id: int) -> object:
    subject = kind.load(subject_id)
    if subject is None:
        raise NotFound()
    return subject
