"""Results, ballots and reports taken out of the platform: CSV, XLSX, JSON, Pabulib and a PDF protocol."""

from flask import Blueprint

bp = Blueprint("exports", __name__)
