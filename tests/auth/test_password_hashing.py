"""Password hashing: OWASP's argon2id parameters outside the tests, and old hashes upgraded at sign-in."""

from argon2 import PasswordHasher, extract_parameters

from app.config import OWASP_PARAMETERS, build_config


def test_production_hashes_passwords_with_owasp_argon2id_parameters(tmp_path, monkeypatch):
    monkeypatch.setenv("MAM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("BASE_URL", "https://mam.example.org")
    parameters = build_config(str(tmp_path))["PASSWORD_HASHING"]
    assert parameters == {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}

    stored = extract_parameters(PasswordHasher(**parameters).hash("correct horse battery"))
    assert (stored.time_cost, stored.memory_cost, stored.parallelism) == (2, 19456, 1)
    assert stored.type.name == "ID"


def test_development_uses_the_production_parameters_too(tmp_path, monkeypatch):
    monkeypatch.setenv("MAM_ENV", "development")
    assert build_config(str(tmp_path))["PASSWORD_HASHING"] == OWASP_PARAMETERS


def test_a_hash_with_argon2_cffi_defaults_is_rewritten_at_the_next_sign_in(users, client, session):
    from app.auth.passwords import needs_rehash
    from tests.factories import PASSWORD

    user = users.resident()
    user.password_hash = PasswordHasher().hash(PASSWORD)  # the platform's parameters before this change
    session.commit()
    assert needs_rehash(user.password_hash)

    client.login(user)

    session.refresh(user)
    assert not needs_rehash(user.password_hash)
