"""A Pabulib file that does not read as the format says is refused with the section, the line and the
reason, never with a traceback and never read with a guess; what real files vary in is accepted."""

from __future__ import annotations

import pytest

from app.votes.tally import PabulibError, parse_pabulib_text

# Line numbers:   1      2          3                  4                     5
GOOD = "\n".join([
    "META",
    "key;value",
    "description;Estate test",
    "num_projects;3",
    "num_votes;3",
    "budget;1000",  # 6
    "vote_type;approval",
    "rule;greedy",
    "max_length;2",  # 9
    "PROJECTS",  # 10
    "project_id;cost;name",  # 11
    "1;400;Bench",  # 12
    "2;500;Garden",
    "A;300;Library",  # 14
    "VOTES",  # 15
    "voter_id;vote",  # 16
    "v1;1,2",  # 17
    "v2;2",
    "v3;A,1",  # 19
]) + "\n"


def refused(text: str) -> PabulibError:
    with pytest.raises(PabulibError) as caught:
        parse_pabulib_text(text)
    return caught.value


def replace(old: str, new: str, text: str = GOOD) -> str:
    assert old in text
    return text.replace(old, new, 1)


def set_meta(key: str, value: str) -> str:
    """GOOD with META ``key`` set to ``value`` (on its own line, or added after ``rule``)."""
    lines = GOOD.split("\n")
    for n, line in enumerate(lines):
        if line.startswith(f"{key};"):
            lines[n] = f"{key};{value}"
            return "\n".join(lines)
    return replace("rule;greedy", f"rule;greedy\n{key};{value}")


def test_the_good_file_reads():
    parsed = parse_pabulib_text(GOOD)
    assert [p.id for p in parsed.election.projects] == ["1", "2", "A"]
    assert parsed.voter_ids == ("v1", "v2", "v3")
    assert parsed.election.budget == 100000


@pytest.mark.parametrize("key, line", [
    ("budget", 6), ("max_length", 9), ("min_length", 9), ("max_sum_points", 9),  # the last two: added
])
@pytest.mark.parametrize("value", ["lots", "inf", "NaN", "-Infinity", "12 zł"])
def test_meta_numbers_must_be_finite_numbers(key, line, value):
    error = refused(set_meta(key, value))
    assert (error.section, error.line, error.column) == ("meta", line, "value")
    assert key in error.reason
    assert str(error).startswith(f'META, line {line}, column "value": {key}:')


@pytest.mark.parametrize("key, line", [("budget", 6), ("max_length", 9), ("min_length", 9), ("num_votes", 5)])
def test_negative_meta_numbers_are_refused_with_their_line(key, line):
    error = refused(set_meta(key, "-1"))
    assert str(error) == f'META, line {line}, column "value": {key}: the value cannot be negative'


@pytest.mark.parametrize("key", ["min_length", "max_sum_points", "num_votes"])
def test_whole_number_meta_refuses_fractions(key):
    error = refused(replace("rule;greedy", f"rule;greedy\n{key};2.5"))
    assert error.line == 9 and "not a whole number" in error.reason


@pytest.mark.parametrize("cost", ["abc", "inf", "nan", "-5", "12.345"])
def test_bad_cost_names_the_project_line(cost):
    error = refused(replace("2;500;Garden", f"2;{cost};Garden"))
    assert (error.section, error.line, error.column) == ("projects", 13, "cost")


def cumulative(points_line: str, meta: str = "max_sum_points;10") -> str:
    text = replace("vote_type;approval", "vote_type;cumulative")
    text = replace("max_length;2", meta, text)
    text = replace("voter_id;vote", "voter_id;vote;points", text)
    text = replace("v1;1,2", f"v1;1,2;{points_line}", text)
    return text.replace("v2;2\n", "v2;2;3\n").replace("v3;A,1\n", "v3;A,1;1,1\n")


@pytest.mark.parametrize("points, reason", [
    ("1.5,2", "whole numbers"),
    ("-1,2", "cannot be negative"),
    ("inf,2", "whole numbers"),
    ("8,3", "11 points, more than max_sum_points 10"),
    ("5", "2 projects but 1 points"),
])
def test_cumulative_points_are_checked_against_the_file(points, reason):
    error = refused(cumulative(points))
    assert (error.section, error.line, error.column) == ("votes", 17, "points")
    assert reason in error.reason


def test_cumulative_points_within_limits_read():
    ballots = parse_pabulib_text(cumulative("6,4")).election.ballots
    assert ballots[0].points == (("1", 6), ("2", 4))


def test_points_per_project_limit():
    error = refused(cumulative("6,4", meta="max_sum_points;10\nmax_points;5"))
    assert "6 points on one project, more than max_points 5" in error.reason


@pytest.mark.parametrize("old, new, section, line, column", [
    ("project_id;cost;name", "id;cost;name", "projects", 11, "project_id"),
    ("project_id;cost;name", "project_id;price;name", "projects", 11, "cost"),
    ("voter_id;vote", "voter_id;choice", "votes", 16, "vote"),
])
def test_missing_required_column(old, new, section, line, column):
    error = refused(replace(old, new))
    assert (error.section, error.line) == (section, line)
    assert f'the column "{column}" is missing' in error.reason


def test_cumulative_needs_points_column():
    text = replace("vote_type;approval", "vote_type;cumulative", replace("max_length;2", "max_sum_points;5"))
    error = refused(text)
    assert error.section == "votes" and 'the column "points" is missing' in error.reason


@pytest.mark.parametrize("old, new, section, line, column", [
    ("2;500;Garden", ";500;Garden", "projects", 13, "project_id"),
    ("2;500;Garden", "2;;Garden", "projects", 13, "cost"),
])
def test_missing_cell(old, new, section, line, column):
    error = refused(replace(old, new))
    assert (error.section, error.line, error.column) == (section, line, column)


@pytest.mark.parametrize("old, new, section, line", [
    ("2;500;Garden", "2;500", "projects", 13),
    ("2;500;Garden", "2;500;Garden;extra", "projects", 13),
    ("v2;2\n", "v2;2;surplus\n", "votes", 18),
    ("v2;2\n", "v2\n", "votes", 18),
])
def test_rows_shorter_or_longer_than_header(old, new, section, line):
    error = refused(replace(old, new))
    assert (error.section, error.line) == (section, line)
    assert "cells, but the header has" in error.reason


def test_a_vote_line_without_its_separator_is_named_not_dropped():
    error = refused(replace("v2;2\n", "v2 2\n"))
    assert (error.section, error.line) == ("votes", 18)
    assert "separator missing" in error.reason


def test_a_vote_naming_an_unknown_project():
    error = refused(replace("v2;2\n", "v2;17\n"))
    assert str(error) == 'VOTES, line 18, column "vote": project "17" is not in PROJECTS'


def test_ids_are_case_sensitive_and_the_message_says_so():
    error = refused(replace("v3;A,1", "v3;a,1"))
    assert error.line == 19
    assert 'project "a" is not in PROJECTS (ids are case-sensitive: PROJECTS has "A")' in error.reason


@pytest.mark.parametrize("kind", ["approval", "ordinal", "choose-1"])
def test_the_same_project_twice_in_one_vote_is_refused_for_every_kind(kind):
    text = replace("vote_type;approval", f"vote_type;{kind}", replace("max_length;2", "max_length;3"))
    text = replace("v1;1,2", "v1;1,1" if kind != "choose-1" else "v1;1,1", text)
    error = refused(text.replace("v3;A,1", "v3;A") if kind == "choose-1" else text)
    assert error.line == 17 and 'project "1" appears twice in one vote' in error.reason


def test_asked_for_an_approval_vote_naming_a_project_twice_counts_it_once_and_says_so():
    text = replace("v1;1,2", "v1;1,2,1", replace("v3;A,1", "v3;A,A"))
    assert 'project "1" appears twice' in refused(text).reason  # not asked: refused
    parsed = parse_pabulib_text(text, dedupe_votes=True)
    assert [b.projects for b in parsed.election.ballots] == [("1", "2"), ("2",), ("A",)]
    assert parsed.votes_deduplicated == 2
    assert parse_pabulib_text(GOOD, dedupe_votes=True).votes_deduplicated == 0


@pytest.mark.parametrize("kind", ["ordinal", "cumulative"])
def test_ranked_and_cumulative_votes_naming_a_project_twice_stay_refused_when_asked(kind):
    if kind == "cumulative":
        text = cumulative("1,2").replace("v1;1,2;", "v1;1,1;")
    else:
        text = replace("vote_type;approval", "vote_type;ordinal", replace("v1;1,2", "v1;1,1"))
    with pytest.raises(PabulibError, match="appears twice"):
        parse_pabulib_text(text, dedupe_votes=True)


def test_the_same_project_twice_in_a_cumulative_vote():
    error = refused(cumulative("1,2").replace("v1;1,2;", "v1;1,1;"))
    assert error.line == 17 and "appears twice" in error.reason


def test_approval_longer_than_max_length_and_ordinal_are_refused_not_truncated():
    error = refused(replace("v1;1,2", "v1;1,2,A"))
    assert error.line == 17 and "3 projects, more than max_length 2" in error.reason
    ordinal = replace("vote_type;approval", "vote_type;ordinal", replace("v1;1,2", "v1;1,2,A"))
    assert "more than max_length 2" in refused(ordinal).reason


def test_an_unterminated_quote():
    error = refused(replace("2;500;Garden", '2;500;"Garden'))
    assert (error.section, error.line) == ("projects", 13)
    assert "quote" in error.reason
    error = refused(replace("v2;2\n", 'v2;"2\n'))
    assert error.section == "votes" and error.line == 18


@pytest.mark.parametrize("line, reason", [
    ("tie_break;lower_cost,coin_toss", 'unknown tie_break criterion "coin_toss"'),
    ("rule;greedy-sideways", 'rule "greedy-sideways" is not supported'),
    ("vote_type;plurality", 'vote_type "plurality" is not one of'),
])
def test_unknown_meta_values(line, reason):
    error = refused(set_meta(*line.split(";")))
    assert error.section == "meta" and reason in error.reason and error.line is not None


def test_duplicate_project_ids():
    error = refused(replace("A;300;Library", "2;300;Library"))
    assert (error.line, error.column) == (14, "project_id") and 'project "2" is listed twice' in error.reason


def test_duplicate_voter_ids():
    error = refused(replace("v3;A,1", "v1;A,1"))
    assert (error.line, error.column) == (19, "voter_id") and 'voter "v1" votes twice' in error.reason


def test_no_votes_section():
    error = refused(GOOD.split("VOTES")[0])
    assert str(error) == "the file has no VOTES section"


@pytest.mark.parametrize("key, value, reason", [
    ("num_votes", "4", "num_votes is 4, but VOTES has 3 votes"),
    ("num_projects", "2", "num_projects is 2, but PROJECTS lists 3"),
])
def test_declared_counts_must_match(key, value, reason):
    error = refused(replace(f"{key};3", f"{key};{value}"))
    assert error.section == "meta" and reason in error.reason


@pytest.mark.parametrize("variant", ["crlf", "cr", "bom", "trailing", "nbsp", "comma", "quoted", "blank"])
def test_what_real_files_vary_in_is_accepted(variant):
    text = {
        "crlf": GOOD.replace("\n", "\r\n"),
        "cr": GOOD.replace("\n", "\r"),
        "bom": "\ufeff" + GOOD,
        "trailing": GOOD.replace("1;400;Bench", "1;400;Bench;").replace("v2;2\n", "v2;2;\n"),
        "nbsp": GOOD.replace("1;400;Bench", "\xa01 ;\xa0400\xa0;Bench").replace("v1;1,2", "v1; 1,\xa02 "),
        "comma": GOOD.replace("1;400;Bench", "1;400,00;Bench").replace("budget;1000", "budget;1000.0"),
        "quoted": GOOD.replace("1;400;Bench", '1;400;"Bench; big"').replace("v2;2\n", 'v2;"2"\n'),
        "blank": GOOD.replace("v2;2\n", "\nv2;2\n\n").replace("VOTES", "\nVOTES"),
    }[variant]
    parsed = parse_pabulib_text(text)
    assert [p.id for p in parsed.election.projects] == ["1", "2", "A"]
    assert parsed.election.projects[0].cost == 40000
    assert [b.projects for b in parsed.election.ballots] == [("1", "2"), ("2",), ("A", "1")]
    assert parsed.voter_ids == ("v1", "v2", "v3")


def test_a_cell_that_goes_on_after_its_closing_quote_reads_as_csv_reads_it():
    """Częstochowa 2020 Grabówka names a project '"Odkupmy" i my - zakup ...': read as CSV readers and
    pabutools read it, not refused."""
    parsed = parse_pabulib_text(replace("1;400;Bench", '1;400;"Odkupmy" i my'))
    assert parsed.election.projects[0].name == "Odkupmy i my"


def test_a_quote_not_closed_on_its_line_does_not_swallow_the_next_line():
    error = refused(replace("1;400;Bench", '1;400;Bench "big').replace("2;500;Garden", '2;500;"Garden'))
    assert (error.section, error.line) == ("projects", 13)
    assert str(error) == "PROJECTS, line 13: a quote is not closed on its line"


def test_line_numbers_count_blank_lines_and_crlf():
    text = GOOD.replace("v2;2\n", "\nv2;2\n").replace("v3;A,1", "v3;Z").replace("\n", "\r\n")
    assert refused(text).line == 20
