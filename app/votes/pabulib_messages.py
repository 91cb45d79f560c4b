"""The Pabulib reader's refusals in the reader's language: where in the file, and why.

The engine speaks English (:data:`app.votes.tally.pabulib.MESSAGES`); each of its templates is
translated here.  Section names (META, PROJECTS, VOTES), column names and META keys are the file
format's own words and stay as they are.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.votes.tally import PabulibError

MESSAGES: dict[str, LazyString] = {
    "not_utf8": _l("the file is not UTF-8 text (byte %(byte)d)"),
    "nul_byte": _l("the file holds a NUL byte"),
    "no_section": _l("the file has no %(name)s section"),
    "second_section": _l("a second %(name)s section"),
    "empty_section": _l("the section is empty: a header row is expected"),
    "missing_column": _l('the column "%(name)s" is missing from the header'),
    "cell_count": _l("%(cells)d cells, but the header has %(width)d"),
    "no_separator": _l("%(cells)d cells, but the header has %(width)d (is a separator missing?)"),
    "unclosed_quote": _l("a quote is not closed on its line"),
    "not_a_number": _l('"%(value)s" is not a number'),
    "not_finite": _l('"%(value)s" is not a finite number'),
    "not_whole": _l('"%(value)s" is not a whole number'),
    "grosz_fraction": _l('"%(value)s" has fractions of a grosz'),
    "negative": _l("the value cannot be negative"),
    "vote_type": _l('vote_type "%(value)s" is not one of %(known)s'),
    "threshold_needed": _l("rule greedy-threshold needs min_project_score_threshold in META"),
    "rule": _l('rule "%(value)s" is not supported; supported: %(known)s'),
    "budget_needed": _l('rule "%(value)s" needs a budget in META'),
    "tie_break": _l('unknown tie_break criterion "%(value)s"; known: %(known)s'),
    "num_votes": _l("num_votes is %(declared)d, but VOTES has %(count)d votes"),
    "num_projects": _l("num_projects is %(declared)d, but PROJECTS lists %(count)d"),
    "project_id_missing": _l("the project id is missing"),
    "project_listed_twice": _l('project "%(project)s" is listed twice'),
    "no_cost": _l('project "%(project)s" has no cost'),
    "voter_twice": _l('voter "%(voter)s" votes twice'),
    "unknown_project": _l('project "%(project)s" is not in PROJECTS'),
    "unknown_project_case": _l(
        'project "%(project)s" is not in PROJECTS (ids are case-sensitive: PROJECTS has "%(similar)s")'),
    "project_twice_in_vote": _l('project "%(project)s" appears twice in one vote'),
    "choose_one": _l("a choose-1 vote names %(count)d projects"),
    "max_length": _l("%(count)d projects, more than max_length %(max)d"),
    "points_not_whole": _l('points must be whole numbers: "%(value)s" is not one'),
    "points_count": _l("%(projects)d projects but %(points)d points"),
    "points_negative": _l("points cannot be negative"),
    "max_sum_points": _l("%(total)d points, more than max_sum_points %(max)d"),
    "max_points": _l("%(most)d points on one project, more than max_points %(max)d"),
}


def pabulib_error_message(error: PabulibError) -> str:
    """One translated line: the section, the line, the column and the reason."""
    template = MESSAGES.get(error.code)
    reason = str(template) % error.params if template is not None else error.reason
    if error.key:
        reason = f"{error.key}: {reason}"
    where = [part for part in (
        error.section.upper() if error.section else None,
        _("line %(num)d", num=error.line) if error.line else None,
        _('column "%(name)s"', name=error.column) if error.column else None,
    ) if part]
    return _("%(place)s: %(reason)s", place=", ".join(where), reason=reason) if where else reason
