"""User persistence on SQLite and PostgreSQL: unique names, atomic lockout counting."""

from __future__ import annotations

import pytest

from hmi.store.users import UnknownUserError, UserExistsError, UsersExistError, UserStore


def test_users_are_stored_listed_and_changed(store):
    users = UserStore(store.engine)
    users.add("bo", "operator", "h1", 10.0)
    users.add("al", "admin", "h2", 11.0)
    assert [u.name for u in users.list()] == ["al", "bo"] and users.count() == 2
    with pytest.raises(UserExistsError, match="'bo' already exists"):
        users.add("bo", "viewer", "h3", 12.0)
    users.set_role("bo", "supervisor", 13.0)
    users.set_disabled("bo", True, 14.0)
    bo = users.get("bo")
    assert (bo.role, bo.disabled, bo.changed_ts, bo.password_hash) == (
        "supervisor",
        True,
        14.0,
        "h1",
    )
    with pytest.raises(UnknownUserError, match="no user named 'zed'"):
        users.set_password("zed", "h", 15.0)


def test_failures_lock_at_the_threshold_and_success_or_a_new_password_clears(store):
    users = UserStore(store.engine)
    users.add("bo", "operator", "h1", 0.0)
    assert users.record_failure("bo", 3, 500.0).failed_logins == 1
    assert users.record_failure("bo", 3, 500.0).failed_logins == 2
    locked = users.record_failure("bo", 3, 500.0)
    assert (locked.failed_logins, locked.locked_until) == (0, 500.0)
    users.set_password("bo", "h2", 100.0)
    assert users.get("bo").locked_until is None
    users.record_failure("bo", 3, 900.0)
    users.record_success("bo", 200.0)
    bo = users.get("bo")
    assert (bo.failed_logins, bo.last_login_ts) == (0, 200.0)


def test_the_first_admin_can_be_created_only_in_an_empty_database(store):
    users = UserStore(store.engine)
    users.add_first("boss", "admin", "h", 0.0)
    with pytest.raises(UsersExistError):
        users.add_first("other", "admin", "h", 0.0)
    assert [u.name for u in users.list()] == ["boss"]
