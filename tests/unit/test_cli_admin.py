"""`hmi users …` on a SQLite file, with the password from HMI_PASSWORD or the prompt."""

from __future__ import annotations

import pytest

from hmi.cli import main
from hmi.runtime.security import ScryptHasher
from hmi.store import open_store
from hmi.store.audit import AuditTrail
from hmi.store.users import UserStore


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'hmi.db'}"


def _users(db: str) -> dict:
    with open_store(db) as store:
        return {u.name: u for u in UserStore(store.engine).list()}


def test_add_list_passwd_disable_with_the_password_from_the_environment(db, monkeypatch, capsys):
    monkeypatch.setenv("HMI_PASSWORD", "first password")
    assert main(["users", "add", "mei", "--role", "supervisor", "--db", db]) == 0
    mei = _users(db)["mei"]
    assert mei.role == "supervisor" and ScryptHasher().verify(mei.password_hash, "first password")

    monkeypatch.setenv("HMI_PASSWORD", "second password")
    assert main(["users", "passwd", "mei", "--db", db]) == 0
    assert ScryptHasher().verify(_users(db)["mei"].password_hash, "second password")

    assert main(["users", "disable", "mei", "--db", db]) == 0
    assert _users(db)["mei"].disabled
    capsys.readouterr()
    assert main(["users", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "mei" in out and "supervisor" in out and "disabled" in out

    with open_store(db) as store:
        trail = [(r.action, r.target, r.user_name.startswith("cli:"))
                 for r in AuditTrail(store.engine, "x").records()]  # fmt: skip
    assert trail == [("user_add", "mei", True), ("user_passwd", "mei", True),
                     ("user_disable", "mei", True)]  # fmt: skip


def test_the_password_is_prompted_twice_and_must_match(db, monkeypatch, capsys):
    monkeypatch.delenv("HMI_PASSWORD", raising=False)
    answers = iter(["typed password", "typo password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["users", "add", "kai", "--role", "operator", "--db", db]) == 2
    assert "passwords differ" in capsys.readouterr().err
    assert "kai" not in _users(db)

    answers = iter(["typed password", "typed password"])
    assert main(["users", "add", "kai", "--role", "operator", "--db", db]) == 0
    assert ScryptHasher().verify(_users(db)["kai"].password_hash, "typed password")


def test_refusals_exit_2_with_a_clear_message(db, monkeypatch, capsys):
    monkeypatch.setenv("HMI_PASSWORD", "a good password")
    assert main(["users", "disable", "ghost", "--db", db]) == 2
    assert "no user named 'ghost'" in capsys.readouterr().err
    main(["users", "add", "mei", "--role", "viewer", "--db", db])
    assert main(["users", "add", "mei", "--role", "viewer", "--db", db]) == 2
    assert "already exists" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["users", "add", "x", "--role", "king", "--db", db])
