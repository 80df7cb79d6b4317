"""Use cases of accounts: each takes a connection and plain values."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher

from cbkit.auth import Role
from cbkit.db import Connection
from cbkit.envelope import Event
from cbkit.errors import Conflict
from cbkit.outbox import publish
from services.accounts import domain, repository
from services.accounts.domain import Account

SOURCE = "/services/accounts"
hasher = PasswordHasher()


async def open_account(
    conn: Connection, email: str, password: str, display_name: str, role: Role = Role.LEARNER
) -> Account:
    email = domain.normalise_email(email)
    domain.check_password(password)
    display_name = domain.clean_display_name(display_name)
    password_hash = await asyncio.to_thread(hasher.hash, password)
    async with conn.transaction():
        account = await repository.insert_account(conn, role, email, display_name, password_hash)
        if account is None:
            raise Conflict("an account with this email already exists", field="email")
        await publish(
            conn,
            Event(
                routing_key="account.opened",
                source=SOURCE,
                subject=account.id,
                data={"accountId": account.id, "role": role.value, "displayName": display_name},
            ),
        )
    return account
