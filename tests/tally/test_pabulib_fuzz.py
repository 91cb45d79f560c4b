"""Real files, damaged the way exports and hand edits damage them (bytes, lines and cells deleted,
duplicated or corrupted): every mutant either parses or is refused with PabulibError, naming where.
Nothing else escapes (no IndexError, KeyError, csv.Error, decimal error, assertion...)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.votes.tally import PabulibError, parse_pabulib_text

DATA = Path(__file__).resolve().parents[1] / "data" / "pabulib"
KEEP_VOTES = 300  # the big files are cut to their first votes (num_votes adjusted) to keep it quick


def sample(path: Path) -> str:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    head, _, votes = text.partition("\nVOTES\n")
    lines = votes.split("\n")
    kept = [line for line in lines[: KEEP_VOTES + 1] if line]
    head = "\n".join(
        f"num_votes;{len(kept) - 1}" if line.startswith("num_votes;") else line for line in head.split("\n")
    )
    return f"{head}\nVOTES\n" + "\n".join(kept) + "\n"


FILES = sorted(DATA.glob("*.pb"))
NOISE = st.sampled_from([";", ",", '"', "\n", "\r", "\ufeff", "\xa0", "-", ".", "1", "x", "nan", "inf",
                         "1e9", "", "\x00", "é", ";;", "META", "VOTES", "PROJECTS"])


@st.composite
def mutants(draw, text: str):
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["del_byte", "dup_byte", "set_byte", "del_line", "dup_line",
                                     "swap_lines", "del_cell", "dup_cell", "set_cell"]))
        n = draw(st.integers(0, len(lines) - 1))
        line = lines[n]
        if kind == "del_line":
            del lines[n]
        elif kind == "dup_line":
            lines.insert(n, line)
        elif kind == "swap_lines":
            m = draw(st.integers(0, len(lines) - 1))
            lines[n], lines[m] = lines[m], lines[n]
        elif kind.endswith("_cell"):
            cells = line.split(";")
            c = draw(st.integers(0, len(cells) - 1))
            if kind == "del_cell":
                del cells[c]
            elif kind == "dup_cell":
                cells.insert(c, cells[c])
            else:
                cells[c] = draw(NOISE)
            lines[n] = ";".join(cells)
        elif line:
            b = draw(st.integers(0, len(line) - 1))
            if kind == "del_byte":
                lines[n] = line[:b] + line[b + 1:]
            elif kind == "dup_byte":
                lines[n] = line[:b] + line[b] + line[b:]
            else:
                lines[n] = line[:b] + draw(NOISE) + line[b + 1:]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_damaged_real_files_parse_or_are_refused_with_a_place(path):
    text = sample(path)
    parse_pabulib_text(text)  # the cut file itself reads

    @settings(max_examples=120, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutants(text), st.booleans())
    def check(mutant, dedupe_votes):
        try:
            parse_pabulib_text(mutant, dedupe_votes=dedupe_votes)
        except PabulibError as error:
            assert str(error) and "\n" not in str(error)

    check()
