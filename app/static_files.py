"""The vendored HTMX file: its pinned version and SHA-384 (checked by a test)."""

HTMX_VERSION = "2.0.11"
HTMX_SHA384 = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"


def htmx_path() -> str:
    return f"vendor/htmx-{HTMX_VERSION}.min.js"
