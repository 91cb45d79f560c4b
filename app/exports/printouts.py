"""What the printed paper ballot and the noticeboard poster of a round in voting show.

The ballot lists the proposals with the same query, so in the same order, as the paper-ballot entry form
(``ballot_projects``): what the moderator types in matches the paper."""

from __future__ import annotations

from app.centre import settings as centre_settings
from app.phases.models import BallotKind, Round
from app.rounds import display
from app.urls import external_url
from app.votes.counting import ballot_projects

# A poster's QR code: medium error correction survives a crease or a pin through the paper.
QR_ERROR = "m"


def _common(round_: Round) -> dict:
    return {
        "round": round_,
        "proposals": ballot_projects(round_),
        "ballot_rules": display.ballot_rules(round_),
        "centre": centre_settings(),
    }


def ballot_context(round_: Round) -> dict:
    context = _common(round_)
    context["ranked_places"] = (round_.max_choices or len(context["proposals"])
                                if round_.ballot_kind == BallotKind.ORDINAL else None)
    return context


def qr_data_uri(url: str) -> str:
    """The address as a QR code, an SVG data URI (drawn as vectors: sharp at any print size)."""
    import segno  # imported where used: every process that never prints a QR code skips it

    return segno.make(url, error=QR_ERROR).svg_data_uri(scale=4, border=2)


def poster_context(round_: Round) -> dict:
    url = external_url("rounds.detail", round_id=round_.id)
    return {**_common(round_), "round_url": url, "qr": qr_data_uri(url),
            "selection_rules": display.selection_rules(round_)}
