"""The OpenAPI 3.1 description of /api/v1/, as a Python dict (served at /api/v1/openapi.json).

Tests validate this document and check every documented response against its schema.
"""

from __future__ import annotations

from app.numbers import ID_MAX, ID_MIN
from app.urls import MAX_PAGE

VERSION = "1.0.0"


def _nullable(type_: str, **extra) -> dict:
    return {"type": [type_, "null"], **extra}


DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = _nullable("string", format="date-time")

SCHEMAS: dict[str, dict] = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    },
    "Links": {
        "type": "object",
        "required": ["self", "first", "last", "next", "prev"],
        "properties": {
            "self": {"type": "string"},
            "first": {"type": "string"},
            "last": {"type": "string"},
            "next": _nullable("string"),
            "prev": _nullable("string"),
        },
        "additionalProperties": False,
    },
    "Round": {
        "type": "object",
        "required": ["id", "title", "phase", "ballot_kind", "rule", "secrecy", "eligibility", "results_url"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "description": {"type": "string", "description": "Markdown"},
            "phase": {"enum": ["submission", "review", "voting", "closed", "archived"]},
            "ballot_kind": {"enum": ["approval", "choose-1", "ordinal", "cumulative", "yes_no"]},
            "rule": {"enum": ["ranking", "greedy", "equal_shares"]},
            "budget_grosze": _nullable("integer", description="Budget in grosze (1 zł = 100 grosze)"),
            "min_choices": _nullable("integer"),
            "max_choices": _nullable("integer"),
            "points_total": _nullable("integer"),
            "points_per_proposal": _nullable("integer"),
            "tie_break": {"type": "array", "items": {"type": "string"}},
            "secrecy": {"enum": ["secret", "public"]},
            "eligibility": {"enum": ["verified_residents", "registered"]},
            "submission_starts_at": NULLABLE_DATETIME,
            "review_starts_at": NULLABLE_DATETIME,
            "voting_starts_at": NULLABLE_DATETIME,
            "voting_ends_at": NULLABLE_DATETIME,
            "closed_at": NULLABLE_DATETIME,
            "ballots_sha256": _nullable("string", pattern="^[0-9a-f]{64}$"),
            "result_sha256": _nullable("string", pattern="^[0-9a-f]{64}$"),
            "results_url": _nullable("string"),
        },
        "additionalProperties": False,
    },
    "ResultProposal": {
        "type": "object",
        "required": ["id", "title", "cost_grosze", "score", "votes", "rank", "selected", "reason"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "cost_grosze": {"type": "integer"},
            "score": {"type": "integer"},
            "votes": {"type": "integer"},
            "no": _nullable("integer", description="yes/no rounds: the number of no answers"),
            "rank": {"type": "integer", "minimum": 1},
            "selected": {"type": "boolean"},
            "reason": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "Tie": {
        "type": "object",
        "required": ["proposals", "score", "criterion", "stage", "affects_selection"],
        "properties": {
            "proposals": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "In the order the tie-break policy put them",
            },
            "score": {"type": "string"},
            "criterion": {"type": "string"},
            "stage": {"type": "string"},
            "affects_selection": {"type": "boolean"},
        },
        "additionalProperties": False,
    },
    "Results": {
        "type": "object",
        "required": [
            "round_id",
            "rule",
            "ballots",
            "turnout",
            "winners",
            "proposals",
            "ties",
            "ballots_sha256",
            "result_sha256",
        ],
        "properties": {
            "round_id": {"type": "integer"},
            "closed_at": NULLABLE_DATETIME,
            "ballot_kind": {"type": "string"},
            "rule": {"type": "string"},
            "budget_grosze": _nullable("integer"),
            "budget_used_grosze": {"type": "integer"},
            "ballots": {"type": "integer"},
            "eligible_voters": _nullable("integer"),  # None: imported ballots, no electorate known
            "turnout": {
                "type": "object",
                "required": ["online", "paper"],
                "properties": {"online": {"type": "integer"}, "paper": {"type": "integer"}},
                "additionalProperties": False,
            },
            "tie_break": {"type": "array", "items": {"type": "string"}},
            "seed": {"type": "string"},
            "winners": {"type": "array", "items": {"type": "integer"}},
            "proposals": {"type": "array", "items": {"$ref": "#/components/schemas/ResultProposal"}},
            "ties": {"type": "array", "items": {"$ref": "#/components/schemas/Tie"}},
            "ballots_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "result_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "ballots_url": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "Proposal": {
        "type": "object",
        "required": ["id", "title", "body", "status", "pledge_count", "comment_count", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "round_id": _nullable("integer"),
            "title": {"type": "string"},
            "body": {"type": "string", "description": "Markdown"},
            "language": {"type": "string", "enum": ["pl", "uk", "en"],
                         "description": "The language the author wrote the text in"},
            "category": _nullable("string"),
            "cost_grosze": _nullable("integer"),
            "status": {
                "enum": [
                    "submitted",
                    "accepted",
                    "rejected",
                    "withdrawn",
                    "selected",
                    "not_selected",
                    "scheduled",
                    "implemented",
                ]
            },
            "moderator_answer": _nullable("string"),
            "pledge_count": {"type": "integer"},
            "comment_count": {"type": "integer"},
            "created_at": DATETIME,
            "submitted_at": NULLABLE_DATETIME,
            "updated_at": DATETIME,
        },
        "additionalProperties": False,
    },
    "Activity": {
        "type": "object",
        "required": ["id", "title", "starts_at", "ends_at", "place", "status"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "place": {"type": "string"},
            "status": {"enum": ["planned", "held", "cancelled"]},
            "capacity": _nullable("integer"),
            "attendance": _nullable("integer"),
            "proposal_id": _nullable("integer"),
            "updated_at": DATETIME,
        },
        "additionalProperties": False,
    },
    "NewsPost": {
        "type": "object",
        "required": ["id", "title", "body", "published_at"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "body": {"type": "string", "description": "Markdown"},
            "language": {"type": "string", "enum": ["pl", "uk", "en"],
                         "description": "The language the author wrote the text in"},
            "round_id": _nullable("integer"),
            "proposal_id": _nullable("integer"),
            "activity_id": _nullable("integer", description="The linked activity (see /activities)"),
            "published_at": DATETIME,
            "updated_at": DATETIME,
        },
        "additionalProperties": False,
    },
}


def _page_schema(item: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "pages", "links"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 1},
            "links": {"$ref": "#/components/schemas/Links"},
        },
        "additionalProperties": False,
    }


for _name in ("Round", "Proposal", "Activity", "NewsPost"):
    SCHEMAS[f"{_name}Page"] = _page_schema(_name)

PAGE_PARAMETERS = [
    {
        "name": "page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    },
    {
        "name": "per_page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    },
]


ID_SCHEMA = {"type": "integer", "minimum": ID_MIN, "maximum": ID_MAX}


def _id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": ID_SCHEMA}


CACHE_HEADERS = {
    "ETag": {"description": "Strong validator: SHA-256 of the body", "schema": {"type": "string"}},
    "Last-Modified": {
        "description": "Newest change of the data shown, when known",
        "schema": {"type": "string"},
    },
}


def _ok(schema: str, description: str) -> dict:
    return {
        "200": {
            "description": description,
            "headers": CACHE_HEADERS,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        },
        "304": {"description": "Not modified (If-None-Match or If-Modified-Since matched)"},
    }


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


BAD_PAGE = {"422": _error("A query parameter is not a valid number")}
NOT_FOUND = {"404": _error("No such public item")}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "MAM Na Kozłówce — open data",
            "version": VERSION,
            "description": "Read-only public data of the residents' participatory platform: consultation "
            "rounds, their results, proposals, activities and news. Money is in integer grosze "
            "(1 zł = 100 grosze); times are UTC (ISO 8601). Responses carry ETag and, where "
            "known, Last-Modified; send If-None-Match to get 304 when nothing changed.",
            "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/rounds": {
                "get": {
                    "operationId": "listRounds",
                    "summary": "Public consultation rounds, newest first",
                    "parameters": PAGE_PARAMETERS,
                    "responses": {**_ok("RoundPage", "A page of rounds"), **BAD_PAGE},
                }
            },
            "/rounds/{round_id}": {
                "get": {
                    "operationId": "getRound",
                    "summary": "One round",
                    "parameters": [_id("round_id")],
                    "responses": {**_ok("Round", "The round"), **NOT_FOUND},
                }
            },
            "/rounds/{round_id}/results": {
                "get": {
                    "operationId": "getRoundResults",
                    "summary": "The result stored when voting closed",
                    "parameters": [_id("round_id")],
                    "responses": {
                        **_ok("Results", "The results"),
                        **NOT_FOUND,
                        "409": _error("Voting has not closed yet"),
                    },
                }
            },
            "/proposals": {
                "get": {
                    "operationId": "listProposals",
                    "summary": "Public proposals (no drafts, no hidden ones)",
                    "parameters": [
                        *PAGE_PARAMETERS,
                        {
                            "name": "round_id",
                            "in": "query",
                            "required": False,
                            "schema": ID_SCHEMA,
                        },
                        {"name": "status", "in": "query", "required": False, "schema": {"type": "string"}},
                    ],
                    "responses": {**_ok("ProposalPage", "A page of proposals"), **BAD_PAGE},
                }
            },
            "/proposals/{proposal_id}": {
                "get": {
                    "operationId": "getProposal",
                    "summary": "One public proposal",
                    "parameters": [_id("proposal_id")],
                    "responses": {**_ok("Proposal", "The proposal"), **NOT_FOUND},
                }
            },
            "/activities": {
                "get": {
                    "operationId": "listActivities",
                    "summary": "Activities in the centre's calendar",
                    "parameters": PAGE_PARAMETERS,
                    "responses": {**_ok("ActivityPage", "A page of activities"), **BAD_PAGE},
                }
            },
            "/news": {
                "get": {
                    "operationId": "listNews",
                    "summary": "Published news, newest first",
                    "parameters": PAGE_PARAMETERS,
                    "responses": {**_ok("NewsPostPage", "A page of news"), **BAD_PAGE},
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
