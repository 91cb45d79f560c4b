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


def recorded_codes() -> tuple[set[str], set[str]]:
    """The action codes and detail keys the application's code records (read from its source)."""
    from pathlib import Path

    actions, keys = set(), {"report", "attendance", "cancel_reason", "choices"}  # passed as **values
    for path in (Path(__file__).resolve().parents[2] / "app").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for call in re.finditer(r"\brecord\(\s*[\w.\[\]\"]+,\s*(f?)\"([\w.{}]+)\"(.*?)\)\n", source, re.S):
            if not call.group(1):
                actions.add(call.group(2))
            keys |= set(re.findall(r"\b(\w+)=", call.group(3)))
    return actions, keys


def test_every_action_and_detail_the_code_records_has_words():
    from app.audit.labels import ACTIONS, DETAILS, KINDS

    actions, keys = recorded_codes()
    assert len(actions) > 20 and "round.closed" in actions and "ballots_sha256" in keys
    assert actions - set(ACTIONS) == set()
    assert keys - set(DETAILS) == set()
    assert {action.split(".")[0] for action in ACTIONS} - set(KINDS) == set()


def test_changed_settings_and_methods_are_named_in_words(client, session, users):
    admin, moderator, resident = users.admin(), users.moderator(), users.resident()
    record(moderator, "round.updated", None, changed=["ballot_kind", "tie_break"])
    record(moderator, "resident.verification_revoked", resident, method="in_person")
    record(moderator, "round.closed", None, ballots=3, ballots_sha256="ab" * 32, result_sha256="cd" * 32)
    session.commit()
    client.login(admin)
    text = visible_text(client.get("/admin/audit").get_data(as_text=True))
    for words in ("Zmienione: Karta do głosowania, Remisy rozstrzyga", "Sposób: Osobiście",
                  "SHA-256 kart: abab", "SHA-256 wyniku: cdcd"):
        assert words in text, words
    for code in ("ballot_kind", "tie_break", "in_person", "ballots_sha256", "result_sha256"):
        assert code not in text, code
