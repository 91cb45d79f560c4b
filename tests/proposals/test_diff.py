"""The comparison of versions: correct, readable, and fast on any body a proposal may have."""

from __future__ import annotations

import html
import random
import re
import time

import pytest

from app.proposals.diff import diff_parts, word_diff
from app.proposals.models import ProposalRevision
from app.proposals.services import BODY_MAX
from tests.proposals.factories import make_proposal

HIDDEN = re.compile(r'<span class="visually-hidden">[^<]*</span>')


def sides(markup: str) -> tuple[str, str]:
    """The old and the new text a rendered difference stands for."""
    text = HIDDEN.sub("", str(markup))
    old = re.sub(r"<ins>.*?</ins>", "", text, flags=re.S).replace("<del>", "").replace("</del>", "")
    new = re.sub(r"<del>.*?</del>", "", text, flags=re.S).replace("<ins>", "").replace("</ins>", "")
    return html.unescape(old), html.unescape(new)


def small_vocabulary_body(seed: int, words: int = 50, separator: str = " ") -> str:
    """BODY_MAX characters drawn from a few dozen short words: the worst case of a word-by-word
    comparison (plain difflib took over 4 s on two of them)."""
    rng = random.Random(seed)
    vocabulary = [f"ż{n}" for n in range(words)]
    text = separator.join(rng.choice(vocabulary) for _ in range(BODY_MAX))
    return text[:BODY_MAX]


def test_a_small_change_is_shown_as_small(app):
    with app.test_request_context():
        markup = word_diff("Grządki za blokiem nr 5.", "Grządki i kompostownik za blokiem nr 7.")
    assert sides(markup) == ("Grządki za blokiem nr 5.", "Grządki i kompostownik za blokiem nr 7.")
    assert re.findall(r"<del>.*?</del>", HIDDEN.sub("", markup)) == ["<del>5.</del>"]
    assert re.findall(r"<ins>.*?</ins>", HIDDEN.sub("", markup)) == ["<ins>i kompostownik </ins>",
                                                                   "<ins>7.</ins>"]


@pytest.mark.parametrize(("old", "new"), [
    ("", "Nowy opis"), ("Stary opis", ""), ("a b a b", "b a b a"), ("<b>&amp;</b>", "<i>&amp;</i>"),
    ("jeden\n\ndwa\n\ntrzy", "jeden\n\ndwa i pół\n\ntrzy\n\ncztery"),
])
def test_the_difference_always_stands_for_both_texts(old, new, app):
    with app.test_request_context():
        assert sides(word_diff(old, new)) == (old, new)


@pytest.mark.parametrize("separator", [" ", "\n", "\n\n"])
def test_the_largest_bodies_from_a_small_vocabulary_compare_fast_and_correctly(separator, app):
    old, new = small_vocabulary_body(1, separator=separator), small_vocabulary_body(2, separator=separator)
    edited = old[:9_000] + " zmiana w środku " + old[9_000:]
    with app.test_request_context():
        for a, b in ((old, new), (old, edited), (new, old[:100])):
            started = time.process_time()
            markup = word_diff(a, b)
            assert time.process_time() - started < 2
            assert sides(markup) == (a, b)
        # A local edit of a long text stays local, however repetitive the text.
        changes = re.findall(r"<(del|ins)>(.*?)</\1>", HIDDEN.sub("", word_diff(old, edited)), re.S)
        assert any(kind == "ins" and "zmiana w środku" in text for kind, text in changes)
        assert sum(len(text) for _kind, text in changes) < 40


def test_paragraphs_changed_throughout_are_still_compared_word_by_word():
    rng = random.Random(3)
    vocabulary = [f"słowo{n}" for n in range(30)]
    paragraphs = [" ".join(rng.choice(vocabulary) for _ in range(40)) for _ in range(60)]
    changed = [p.replace("słowo7 ", "SŁOWO7 ", 1) for p in paragraphs]
    old, new = "\n\n".join(paragraphs), "\n\n".join(changed)
    parts = diff_parts(old, new)
    assert "".join(t for op, t in parts if op != "insert") == old
    assert "".join(t for op, t in parts if op != "delete") == new
    assert {t for op, t in parts if op == "insert"} <= {"SŁOWO7"}


def test_the_versions_page_of_the_largest_bodies_is_fast(client, users, session):
    old, new = small_vocabulary_body(4), small_vocabulary_body(5)
    proposal = make_proposal(session, users.resident(), body=new)
    session.add(ProposalRevision(proposal_id=proposal.id, number=1, title=proposal.title, body=old,
                                 needs="", cost_grosze=proposal.cost_grosze, editor_id=proposal.author_id))
    session.commit()
    # CPU time of this process, not wall-clock time: a busy CI machine must not make it fail (about
    # 0.6 s here; the quadratic diff it replaced took 3-5 s).
    started = time.process_time()
    response = client.get(f"/proposals/{proposal.id}/revisions")
    assert response.status_code == 200 and time.process_time() - started < 2
    page = response.get_data(as_text=True)
    body = page.split("<dt>Opis</dt>", 1)[1].split("</dd>", 1)[0].split(">", 1)[1]
    assert sides(body) == (old, new)
