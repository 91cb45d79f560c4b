"""User text: Markdown rendered and sanitised on write, folding for diacritic-blind search, and the
characters a name or a title may contain."""

from __future__ import annotations

import unicodedata
from functools import cache

import nh3


@cache
def _markdown():
    """CommonMark without raw HTML (it is shown as text), with a low nesting limit against Markdown bombs;
    built on first use, so that processes which render no Markdown (cron jobs) never import it."""
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark", {"html": False, "maxNesting": 12, "linkify": False})
    markdown.disable("image")
    return markdown

FULL_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "hr",
}
COMMENT_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code"}


def render_markdown(source: str, tags: set[str] = FULL_TAGS) -> str:
    """Markdown → HTML that is safe to show: only ``tags``, http(s)/mailto links marked as user content."""
    html = _markdown().render(source)
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


# Letters, marks, digits, punctuation, symbols (emoji included) and spaces. Left out: control and format
# characters (bidi overrides such as U+202E that reverse how a name reads, zero-width characters),
# line and paragraph separators, surrogates, private-use and unassigned code points (noncharacters such
# as U+FFFF among them).
LINE_CATEGORIES = frozenset({
    "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No",
    "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs",
})


def is_plain_line(text: str) -> bool:
    """True when ``text`` (a display name, a title) holds only characters that look like what they are."""
    return all(unicodedata.category(ch) in LINE_CATEGORIES for ch in text)
