"""User text: Markdown rendered and sanitised on write, and folding for diacritic-blind search."""

from __future__ import annotations

import unicodedata

import nh3
from markdown_it import MarkdownIt

# CommonMark without raw HTML (it is shown as text), with a low nesting limit against Markdown bombs.
_markdown = MarkdownIt("commonmark", {"html": False, "maxNesting": 12, "linkify": False})
_markdown.disable("image")

FULL_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "hr",
}
COMMENT_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code"}


def render_markdown(source: str, tags: set[str] = FULL_TAGS) -> str:
    """Markdown → HTML that is safe to show: only ``tags``, http(s)/mailto links marked as user content."""
    html = _markdown.render(source)
    # Headings the author wrote at any level are shown at a level that fits inside the page.
    for level in ("1", "2"):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    for level in ("5", "6"):
        html = html.replace(f"<h{level}>", "<h4>").replace(f"</h{level}>", "</h4>")
    return nh3.clean(
        html,
        tags=tags,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )


_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "đ": "d", "ß": "ss"})


def fold(text: str) -> str:
    """Lower-case ASCII for search: 'Żółw' → 'zolw'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
