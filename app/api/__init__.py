"""The read-only open-data API under /api/v1/ (JSON, paginated, cacheable; OpenAPI 3.1 in ``openapi``)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
