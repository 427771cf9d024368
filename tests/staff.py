"""A desk with officers for tests: an administrator and a receptionist, cheap password hashes."""

from argon2 import PasswordHasher, profiles

from desk_app.domain.accounts import Role
from desk_app.services import accounts
from desk_app.store import accounts as rows

CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)  # the real one costs ~0.3 s a hash
ADMIN, ADMIN_NAME, ADMIN_PASSWORD = "quantri", "Nguyễn Văn Quản", "quantri-2026"
CLERK, CLERK_NAME, CLERK_PASSWORD = "binh", "Trần Thị Bình", "binh-2026!"


def staff(desk):
    """Add the administrator and the receptionist; nobody stays signed in."""
    accounts.add_officer(desk, username=ADMIN, full_name=ADMIN_NAME, roles=frozenset({Role.ADMIN}),
                         password=ADMIN_PASSWORD, hasher=CHEAP)
    desk.sign_in(rows.find(desk.store, ADMIN).officer)
    accounts.add_officer(desk, username=CLERK, full_name=CLERK_NAME, roles=frozenset({Role.RECEPTIONIST}),
                         password=CLERK_PASSWORD, hasher=CHEAP)
    desk.sign_out()


def sign_in(desk, username):
    password = {ADMIN: ADMIN_PASSWORD, CLERK: CLERK_PASSWORD}[username]
    return accounts.sign_in(desk, username, password, via="test", hasher=CHEAP)
