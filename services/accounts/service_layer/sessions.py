"""Use cases of sessions: a sign-in (or a new account) starts one with an access token
and a refresh token; a refresh token is spent for the next pair; signing out
everywhere revokes every refresh token of the account. Access tokens already handed
out stay valid until they expire (CB_ACCESS_TOKEN_MINUTES)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cbkit.db import Connection
from services.accounts.adapters.tokens import TokenIssuer
from services.accounts.domain import sessions
from services.accounts.domain.accounts import Account, check_may_sign_in
from services.accounts.repository import accounts as repository
from services.accounts.repository import sessions as session_repository
from services.accounts.repository import sign_in as sign_in_repository
from services.accounts.service_layer import accounts, sign_in
from services.accounts.service_layer.sign_in import Attempt


@dataclass(frozen=True)
class Session:
    account: Account
    access_token: str
    refresh_token: str


async def start(
    conn: Connection,
    tokens: TokenIssuer,
    account: Account,
    now: datetime,
    family: str | None = None,
) -> Session:
    """Tokens for the account: a new session, or the next pair of `family`."""
    refresh_token, kept = sessions.issue(account.id, now, tokens.refresh_lifetime, family)
    await session_repository.insert_refresh_token(conn, kept)
    return Session(account, tokens.issue(account.id, account.role), refresh_token)


async def sign_in_with_password(
    conn: Connection, tokens: TokenIssuer, attempt: Attempt, password: str
) -> Session:
    account = await sign_in.check_credentials(conn, attempt, password)
    return await start(conn, tokens, account, attempt.at)


async def refresh(
    conn: Connection, tokens: TokenIssuer, refresh_token: str, now: datetime
) -> Session:
    """Spend the refresh token for the next pair; a spent one revokes its whole family
    (that is kept, though the refresh is refused). A disabled account's is refused."""
    token_hash = sessions.hash_of(refresh_token)
    async with conn.transaction():
        kept = await session_repository.lock_refresh_token(conn, token_hash)
        account = None
        if kept is not None:
            (account,) = await repository.accounts_by_id(conn, [kept.account_id])
            assert account is not None, f"a refresh token of a missing account {kept.account_id}"
            check_may_sign_in(account, field="refreshToken")
        refusal = sessions.refusal(kept, now)
        if kept is not None and isinstance(refusal, sessions.RefreshReused):
            await session_repository.revoke_family(conn, kept.family_id, now)
        if kept is not None and account is not None and refusal is None:
            await session_repository.spend_refresh_token(conn, token_hash, now)
            return await start(conn, tokens, account, now, kept.family_id)
    assert refusal is not None
    raise refusal


async def change_password(
    conn: Connection,
    tokens: TokenIssuer,
    account_id: str,
    address: str,
    now: datetime,
    passwords: tuple[str, str],
) -> Session:
    """The new password set once the current one is proven (`passwords` is current and
    new), every session signed out and this one started afresh."""
    account = await sign_in.change_password(conn, account_id, address, now, *passwords)
    return await start(conn, tokens, account, now)


async def open_account(
    conn: Connection,
    tokens: TokenIssuer,
    email: str,
    password: str,
    display_name: str,
    now: datetime,
) -> Session:
    """A learner's new account, signed in."""
    account = await accounts.open_account(conn, email, password, display_name)
    return await start(conn, tokens, account, now)


async def sign_out_everywhere(conn: Connection, account_id: str, now: datetime) -> int:
    """Revoke every refresh token of the account; how many sessions that ended."""
    return await session_repository.revoke_sessions(conn, account_id, now)


async def forget_the_past(conn: Connection, now: datetime) -> None:
    """Drop expired refresh tokens and sign-in counts nobody waits for any more."""
    await session_repository.forget_expired_refresh_tokens(conn, now)
    await sign_in_repository.forget_quiet(conn, now)
