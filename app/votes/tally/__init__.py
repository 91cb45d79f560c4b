"""Pure, exact participatory-budgeting tally engine (standard library only).

Build an :class:`Election` (money in integer grosze), call :func:`tally`, read the
:class:`TallyResult` (``to_dict()`` is JSON-ready).  :func:`validate_ballot` checks one ballot
against the round's limits; :func:`parse_pabulib` / :func:`write_pabulib` read and write Pabulib
``.pb`` files.
"""

from .engine import tally
from .equal_shares import CompletionTooLong
from .model import (
    ABSTAIN,
    APPROVAL,
    BALLOT_KINDS,
    CHOOSE_ONE,
    CUMULATIVE,
    DEFAULT_TIE_BREAK,
    EQUAL_SHARES,
    GREEDY,
    NO,
    ORDINAL,
    RANKING,
    RULES,
    YES,
    YES_NO,
    YES_NO_RULE,
    ApprovalBallot,
    Ballot,
    BallotLimits,
    CumulativeBallot,
    Election,
    OrdinalBallot,
    Project,
    Rule,
    YesNoBallot,
)
from .pabulib import (
    ORDINAL_TIE_BREAK,
    PabulibError,
    PabulibFile,
    format_money,
    parse_pabulib,
    parse_pabulib_text,
    rule_from_text,
    to_grosze,
    write_pabulib,
)
from .result import MesRound, Payment, ProjectOutcome, TallyResult, TieReport
from .ties import CRITERIA, lot_key
from .validate import MESSAGES, BallotProblem, validate_ballot

__all__ = [
    "ABSTAIN",
    "APPROVAL",
    "BALLOT_KINDS",
    "CHOOSE_ONE",
    "CRITERIA",
    "CUMULATIVE",
    "CompletionTooLong",
    "DEFAULT_TIE_BREAK",
    "EQUAL_SHARES",
    "GREEDY",
    "MESSAGES",
    "NO",
    "ORDINAL",
    "ORDINAL_TIE_BREAK",
    "RANKING",
    "RULES",
    "YES",
    "YES_NO",
    "YES_NO_RULE",
    "ApprovalBallot",
    "Ballot",
    "BallotLimits",
    "BallotProblem",
    "CumulativeBallot",
    "Election",
    "MesRound",
    "OrdinalBallot",
    "PabulibError",
    "PabulibFile",
    "Payment",
    "Project",
    "ProjectOutcome",
    "Rule",
    "TallyResult",
    "TieReport",
    "YesNoBallot",
    "format_money",
    "lot_key",
    "parse_pabulib",
    "parse_pabulib_text",
    "rule_from_text",
    "tally",
    "to_grosze",
    "validate_ballot",
    "write_pabulib",
]
