"""Names and titles: characters that could make a text read as something else are refused."""

from __future__ import annotations

import pytest

from app.text import is_plain_line


@pytest.mark.parametrize("text", [
    "Zażółć gęślą jaźń", "Ольга Ш.", "محمد", "Café – „Kozłówka” № 5 ☕ 🎉", "O'Brien & syn (2026)",
])
def test_names_in_any_script_with_punctuation_and_emoji_are_plain(text):
    assert is_plain_line(text)


@pytest.mark.parametrize("text", [
    "Adam\u202enimda",  # right-to-left override: shows as "Adamadmin"-like reversed text
    "a\u2066b", "a\u200bb", "a\u200fb", "a\ufeffb",  # isolates, zero-width space, RLM, BOM
    "a\uffffb", "a\ufdd0b",  # noncharacters
    "a\ue000b",  # private use
    "a\nb", "a\tb", "a\u2028b",  # line breaks and tabs in a one-line text
])
def test_invisible_control_and_noncharacters_are_not_plain(text):
    assert not is_plain_line(text)
