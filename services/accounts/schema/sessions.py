"""Opening an account and signing in (anyone), refreshing a session, changing one's
password and signing out everywhere (the signed-in account)."""

from __future__ import annotations

import strawberry

from cbkit.auth import Principal
from services.accounts.domain import access, sign_in
from services.accounts.schema.accounts import Account
from services.accounts.schema.context import Info
from services.accounts.service_layer import sessions
from services.accounts.service_layer.sessions import Session
from services.accounts.service_layer.sign_in import Attempt


@strawberry.type
class AuthPayload:
    token: str = strawberry.field(
        description="A bearer token, valid for a few minutes (15 unless configured)."
    )
    refresh_token: str = strawberry.field(
        description="Spend it once with refreshSession for the next pair of tokens."
    )
    account: Account

    @classmethod
    def from_session(cls, session: Session) -> AuthPayload:
        """The tokens and the account, which their new holder may read at once."""
        record = session.account
        reader = Principal(record.id, record.role)
        account = Account.from_record(record, reader)
        return cls(token=session.access_token, refresh_token=session.refresh_token, account=account)


def client_address(info: Info) -> str:
    """Who is signing in, as the request shows it."""
    request = info.context.request
    assert request is not None, "a sign-in comes with its request"
    peer = request.client.host if request.client else None
    forwarded_for = request.headers.get("x-forwarded-for")
    return sign_in.client_address(peer, forwarded_for, info.context.deps.trusted_proxies)


@strawberry.type
class SessionMutations:
    @strawberry.mutation
    async def open_account(
        self, info: Info, email: str, password: str, display_name: str
    ) -> AuthPayload:
        tokens, now = info.context.deps.tokens, info.context.deps.clock.now()
        session = await info.context.run(
            sessions.open_account, tokens, email, password, display_name, now
        )
        return AuthPayload.from_session(session)

    @strawberry.mutation
    async def login(self, info: Info, email: str, password: str) -> AuthPayload:
        attempt = Attempt(email, client_address(info), info.context.deps.clock.now())
        tokens = info.context.deps.tokens
        session = await info.context.run(sessions.sign_in_with_password, tokens, attempt, password)
        return AuthPayload.from_session(session)

    @strawberry.mutation(
        description="Spend a refresh token for a new access token and the next refresh"
        " token. A refresh token used twice signs out every session it belongs to."
    )
    async def refresh_session(self, info: Info, refresh_token: str) -> AuthPayload:
        tokens, now = info.context.deps.tokens, info.context.deps.clock.now()
        session = await info.context.run(sessions.refresh, tokens, refresh_token, now)
        return AuthPayload.from_session(session)

    @strawberry.mutation(
        description="Set a new password; every session of the account is signed out and"
        " this one gets new tokens."
    )
    async def change_password(
        self, info: Info, current_password: str, new_password: str
    ) -> AuthPayload:
        caller = info.context.require(*access.MANAGES_OWN_SESSIONS)
        tokens, now = info.context.deps.tokens, info.context.deps.clock.now()
        session = await info.context.run(
            sessions.change_password,
            tokens,
            caller.account_id,
            client_address(info),
            now,
            (current_password, new_password),
        )
        return AuthPayload.from_session(session)

    @strawberry.mutation(
        description="Revoke every refresh token of the account; how many sessions ended."
        " Access tokens already handed out stay valid until they expire."
    )
    async def sign_out_everywhere(self, info: Info) -> int:
        caller = info.context.require(*access.MANAGES_OWN_SESSIONS)
        now = info.context.deps.clock.now()
        return await info.context.run(sessions.sign_out_everywhere, caller.account_id, now)
