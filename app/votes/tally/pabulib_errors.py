"""The Pabulib reader's one error type, and the English form of every reason it gives.

Each reason is a constant ``%``-style template in :data:`MESSAGES`, so that the application can
translate it (``gettext(template) % params``) before filling in the values, as it does for
:data:`app.votes.tally.validate.MESSAGES`.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, str] = {
    # The file as a whole
    "not_utf8": "the file is not UTF-8 text (byte %(byte)d)",
    "nul_byte": "the file holds a NUL byte",
    "no_section": "the file has no %(name)s section",
    "second_section": "a second %(name)s section",
    # Tables
    "empty_section": "the section is empty: a header row is expected",
    "missing_column": 'the column "%(name)s" is missing from the header',
    "cell_count": "%(cells)d cells, but the header has %(width)d",
    "no_separator": "%(cells)d cells, but the header has %(width)d (is a separator missing?)",
    "unclosed_quote": "a quote is not closed on its line",
    # Numbers (META values, costs)
    "not_a_number": '"%(value)s" is not a number',
    "not_finite": '"%(value)s" is not a finite number',
    "not_whole": '"%(value)s" is not a whole number',
    "grosz_fraction": '"%(value)s" has fractions of a grosz',
    "negative": "the value cannot be negative",
    # META
    "vote_type": 'vote_type "%(value)s" is not one of %(known)s',
    "threshold_needed": "rule greedy-threshold needs min_project_score_threshold in META",
    "rule": 'rule "%(value)s" is not supported; supported: %(known)s',
    "budget_needed": 'rule "%(value)s" needs a budget in META',
    "tie_break": 'unknown tie_break criterion "%(value)s"; known: %(known)s',
    "num_votes": "num_votes is %(declared)d, but VOTES has %(count)d votes",
    "num_projects": "num_projects is %(declared)d, but PROJECTS lists %(count)d",
    # PROJECTS
    "project_id_missing": "the project id is missing",
    "project_listed_twice": 'project "%(project)s" is listed twice',
    "no_cost": 'project "%(project)s" has no cost',
    # VOTES
    "voter_twice": 'voter "%(voter)s" votes twice',
    "unknown_project": 'project "%(project)s" is not in PROJECTS',
    "unknown_project_case": 'project "%(project)s" is not in PROJECTS (ids are case-sensitive: PROJECTS has '
                            '"%(similar)s")',
    "project_twice_in_vote": 'project "%(project)s" appears twice in one vote',
    "choose_one": "a choose-1 vote names %(count)d projects",
    "max_length": "%(count)d projects, more than max_length %(max)d",
    "points_not_whole": 'points must be whole numbers: "%(value)s" is not one',
    "points_count": "%(projects)d projects but %(points)d points",
    "points_negative": "points cannot be negative",
    "max_sum_points": "%(total)d points, more than max_sum_points %(max)d",
    "max_points": "%(most)d points on one project, more than max_points %(max)d",
}


class PabulibError(ValueError):
    """A Pabulib file that cannot be read as it stands: where, and what was expected.

    ``str()`` gives one line, e.g. ``VOTES, line 214, column "vote": project "17" is not in
    PROJECTS``.  ``code`` names the template in :data:`MESSAGES` and ``params`` fill it in;
    ``key`` (a META key such as ``budget``, or a column such as ``cost``) prefixes a number's reason;
    ``reason`` is the part after the place.
    """

    def __init__(self, code: str, *, section: str | None = None, line: int | None = None,
                 column: str | None = None, key: str | None = None, **params: Any) -> None:
        self.code, self.params = code, params
        self.section, self.line, self.column, self.key = section, line, column, key
        super().__init__(self.reason)

    @property
    def template(self) -> str:
        """The untranslated template of the reason."""
        return MESSAGES[self.code]

    @property
    def reason(self) -> str:
        text = self.template % self.params
        return f"{self.key}: {text}" if self.key else text

    def at(self, section: str | None = None, line: int | None = None, column: str | None = None,
           key: str | None = None) -> PabulibError:
        """The same reason, placed in the file (what is already known is kept)."""
        return PabulibError(self.code, section=section or self.section, line=line or self.line,
                            column=column or self.column, key=key or self.key, **self.params)

    def __str__(self) -> str:
        where = [part for part in (
            self.section.upper() if self.section else None,
            f"line {self.line}" if self.line else None,
            f'column "{self.column}"' if self.column else None,
        ) if part]
        return f"{', '.join(where)}: {self.reason}" if where else self.reason
