"""The steering group finds its exports in the header (issue 17), not only in the footer."""

import re

import pytest


def header(page: str) -> str:
    return re.search(r'<nav class="site-nav".*?</nav>', page, re.S).group(0)


def test_the_steering_group_has_the_data_page_in_its_header(client, users):
    client.login(users.steering())

    nav = header(client.get("/").get_data(as_text=True))

    assert re.search(r'<a href="/data"\s*>Dane</a>', nav)
    page = client.get("/data").get_data(as_text=True)
    assert re.search(r'<a href="/data" aria-current="page">Dane</a>', header(page))


@pytest.mark.parametrize("role", ["resident", "moderator"])
def test_other_roles_keep_it_in_the_footer_only(client, users, role):
    client.login(users.for_role(role))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/data"' not in header(page)
    assert 'href="/data"' in page
