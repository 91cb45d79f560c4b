"""The admin audit log speaks Polish: actions, subjects and details in words, no codes, no "None"."""

from __future__ import annotations

import re

from app.audit.services import record


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_the_audit_log_reads_in_polish(client, session, users):
    admin, moderator, resident = users.admin(), users.moderator(), users.resident()
    record(resident, "account.deleted", resident)
    record(moderator, "proposal.accepted", None, note=None)
    record(admin, "user.role_changed", resident, old="resident", new="steering")
    record(moderator, "residency_codes.generated", None, batch="20261202-101600-ab12", count=12)
    record(moderator, "export.proposals", None, format="csv")
    session.commit()
    client.login(admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    text = visible_text(page)
    for words in ("Usunięto konto", f"Konto nr {resident.id}", "Przyjęto propozycję do głosowania",
                  "Zmieniono rolę", "Przed zmianą: Mieszkaniec", "Po zmianie: Grupa sterująca",
                  "Wydrukowano kody mieszkańca", "Liczba: 12", "Pobrano raport propozycji"):
        assert words in text, words
    for code in ("account.deleted", "proposal.accepted", "user.role_changed", "None", "note:", "users #"):
        assert code not in text, code


def test_the_audit_log_is_filtered_by_a_kind_of_action(client, session, users):
    admin, resident = users.admin(), users.resident()
    record(admin, "resident.verified_in_person", resident)
    record(admin, "export.proposals", None, format="csv")
    session.commit()
    client.login(admin)
    page = client.get("/admin/audit?action=export.").get_data(as_text=True)
    assert '<option value="export." selected>Pobrania</option>' in page
    assert "Pobrano raport propozycji" in page and "Zweryfikowano zamieszkanie osobiście" not in page
