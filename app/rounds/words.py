"""Each ballot kind and counting rule in plain words, said the same way everywhere.

"Jak głosujemy" (/how-we-vote), the round form and the results page all take their words from here, so
what a moderator picks is what residents read. Each has an anchor on /how-we-vote.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.phases.models import BallotKind, Rule


@dataclass(frozen=True)
class Plain:
    anchor: str
    title: str
    text: str


KIND_WORDS: dict[str, Plain] = {
    BallotKind.APPROVAL: Plain("approval", _l("Tick the ideas you like"), _l(
        "You tick every idea you support. The round says how many you may tick, for example from 1 to 5. "
        "Each tick is one vote.")),
    BallotKind.CHOOSE_ONE: Plain("choose-one", _l("Choose one idea"), _l(
        "You choose only one idea. It gets one vote.")),
    BallotKind.ORDINAL: Plain("ordinal", _l("Put ideas in order"), _l(
        "You write which idea is first, which is second, and so on. Your first choice gets the most points. "
        "Each next one gets a point less. For example, with three places: 3 points, 2 points, 1 point.")),
    BallotKind.CUMULATIVE: Plain("cumulative", _l("Share out points"), _l(
        "You get a number of points, for example 10. You give them to the ideas you like. You may give many "
        "points to one idea, up to the limit the round gives.")),
    BallotKind.YES_NO: Plain("yes-no", _l("Yes or no"), _l(
        "For each idea you answer yes, no, or “I don't know”. An idea passes when more people say yes than "
        "no. Some rounds also need enough people to take part.")),
}

RULE_WORDS: dict[str, Plain] = {
    Rule.GREEDY: Plain("greedy", _l("Most votes, while the money lasts"), _l(
        "We put the ideas in order, from the most votes to the fewest. We fund them one by one, while the "
        "money lasts. If an idea costs more than what is left, we skip it and check the next one. Kraków "
        "and Warsaw count like this.")),
    Rule.EQUAL_SHARES: Plain("equal-shares", _l("Equal shares"), _l(
        "Everyone gets an equal part of the budget. You “spend” your part only on the ideas you voted for. "
        "An idea wins when its supporters can pay for it together. So bigger groups cannot take all the "
        "money: smaller groups of neighbours also get something. If money is left over, we raise everyone's "
        "part a little and try again.")),
    Rule.RANKING: Plain("ranking", _l("The top ideas"), _l(
        "There is no money to share. The ideas with the most votes win: for example the top 3, or every "
        "idea with enough votes.")),
}


def kind_words(kind: str) -> Plain | None:
    return KIND_WORDS.get(kind)


def rule_words(kind: str, rule: str) -> Plain | None:
    """How the winners of a round are chosen; yes / no ballots count each proposal on its own."""
    return None if kind == BallotKind.YES_NO else RULE_WORDS.get(rule)
