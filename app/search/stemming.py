"""Polish word forms for search: a query word is cut to a stem and matched as a word prefix.

"seniorzy" → "senior" finds "seniorami" and "seniorów"; "gotowanie" → "gotow" finds "gotowania" and
"gotować".
A light suffix stripper, not a dictionary: it cuts the longest common inflectional ending that leaves a stem
of at least four letters, so short words stay whole. Words are folded first ("ó" → "o"), like the documents.
"""

from __future__ import annotations

import re

from app.text import fold

MIN_STEM = 4
MAX_TERMS = 8
# Folded endings of Polish nouns, adjectives and verbs, longest first.
SUFFIXES = sorted({
    "owaniami", "owaniach", "owaniem", "aniami", "aniach", "eniami", "eniach", "aniem", "eniem",
    "owanie", "owania", "owaniu", "anie", "ania", "aniu", "enie", "enia", "eniu",
    "ami", "ach", "owi", "iem", "ego", "emu", "ymi", "imi", "ych", "ich", "cie",
    "ow", "om", "em", "ie", "zy", "ej", "mi", "ac", "ec", "ic",
    "y", "i", "e", "a", "u", "o",
}, key=len, reverse=True)
WORD = re.compile(r"[^\W_]+")


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def query_terms(text: str) -> list[str]:
    """The stems to look for, in order, without repeats (at most eight)."""
    terms: list[str] = []
    for word in WORD.findall(fold(text)):
        term = stem(word)
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]
