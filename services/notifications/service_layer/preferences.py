"""An account's preferences: the language of its e-mails, the address to write to
and which kinds go by e-mail; read and set by the account itself."""

from __future__ import annotations

from collections.abc import Sequence

from cbkit.auth import Principal
from cbkit.db import Connection
from services.notifications.domain import Kind, Preferences, check_preferences
from services.notifications.repository import preferences
from services.notifications.service_layer.dependencies import Dependencies


async def of(conn: Connection, account_id: str) -> Preferences:
    return await preferences.of(conn, account_id)


async def choose(
    conn: Connection,
    deps: Dependencies,
    viewer: Principal,
    language: str,
    email: str | None,
    kinds: Sequence[Kind],
) -> Preferences:
    """Set the caller's own preferences, checked (a refusal changes nothing)."""
    chosen = check_preferences(language, email, kinds)
    await preferences.save(conn, viewer.account_id, chosen, deps.clock.now())
    return chosen
