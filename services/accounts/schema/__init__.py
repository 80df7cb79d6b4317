"""The accounts subgraph: GraphQL types and thin resolvers. Each field of an
account checks what its caller may see of that account, however it was reached."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from cbkit.auth import Principal, Role
from cbkit.db import Connection
from cbkit.errors import Refusal
from cbkit.graphql import Context, subgraph_extensions
from services.accounts.domain import access, consents, ledger
from services.accounts.domain.access import View
from services.accounts.domain.accounts import Account as AccountRecord
from services.accounts.repository import accounts as repository
from services.accounts.repository import ledger as store
from services.accounts.schema.subscription import Subscription
from services.accounts.service_layer import accounts as service_layer
from services.accounts.service_layer import ledger as ledger_service

strawberry.enum(Role, name="Role")
strawberry.enum(ledger.EntryKind, name="LedgerEntryKind")

MAX_PAGE = 200


def account_loader(info: Info[Context, None]) -> DataLoader[str, AccountRecord | None]:
    return info.context.loader("accounts", repository.accounts_by_id)


async def _account(info: Info[Context, None], account_id: str) -> Account:
    record = await account_loader(info).load(account_id)
    assert record is not None, f"account {account_id} is referenced but missing"
    return Account.from_record(record)


async def _consenting(institution_id: str, conn: Connection, learner_ids: list[str]) -> list[bool]:
    found = await repository.consenting_learners(
        conn, institution_id, learner_ids, datetime.now(UTC)
    )
    return [i in found for i in learner_ids]


async def view_of(
    info: Info[Context, None],
    account_id: str,
    record: AccountRecord | None,
    reader: Principal | None = None,
) -> View:
    """What the caller sees of an account: consents are read afresh for each request."""
    viewer = reader or info.context.require()
    consented = False
    if record and record.role is Role.LEARNER and viewer.role is Role.INSTITUTION:
        loader = info.context.loader(
            f"consenting:{viewer.account_id}", partial(_consenting, viewer.account_id)
        )
        consented = await loader.load(account_id)
    return access.view_of(viewer, account_id, record.role if record else None, consented)


@strawberry.type
class Balance:
    available: Decimal
    redeemed: Decimal
    expired: Decimal
    earned: Decimal


@strawberry.type
class LedgerEntry:
    id: strawberry.ID
    kind: ledger.EntryKind
    credits: Decimal
    course_code: str | None
    conversion_id: strawberry.ID | None
    institution_id: strawberry.Private[str | None]
    occurred_at: datetime
    note: str | None

    @strawberry.field
    async def institution(self, info: Info[Context, None]) -> Account | None:
        return await _account(info, self.institution_id) if self.institution_id else None

    @classmethod
    def from_entry(cls, entry: ledger.Entry) -> LedgerEntry:
        return cls(
            id=strawberry.ID(entry.id),
            kind=entry.kind,
            credits=entry.credits,
            course_code=entry.course_code,
            conversion_id=strawberry.ID(entry.conversion_id) if entry.conversion_id else None,
            institution_id=entry.institution_id,
            occurred_at=entry.occurred_at,
            note=entry.note,
        )


@strawberry.type
class LedgerPage:
    entries: list[LedgerEntry]
    next_cursor: str | None


def _cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"ledger:{seq}".encode()).decode()


def _position(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        label, _, seq = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if label == "ledger" and seq.isascii() and seq.isdigit():
            return int(seq)
    except (binascii.Error, UnicodeDecodeError):
        pass
    raise Refusal("after must be a nextCursor from an earlier page", field="after")


@strawberry.type
class Consent:
    id: strawberry.ID
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    record: strawberry.Private[consents.Consent]

    @strawberry.field
    async def learner(self, info: Info[Context, None]) -> Account:
        return await _account(info, self.record.learner_id)

    @strawberry.field
    async def institution(self, info: Info[Context, None]) -> Account:
        return await _account(info, self.record.institution_id)

    @strawberry.field
    def active(self) -> bool:
        return self.record.active_at(datetime.now(UTC))

    @classmethod
    def from_consent(cls, consent: consents.Consent) -> Consent:
        return cls(
            id=strawberry.ID(consent.id),
            granted_at=consent.granted_at,
            expires_at=consent.expires_at,
            revoked_at=consent.revoked_at,
            record=consent,
        )


@strawberry.federation.type(keys=["id"])
class Account:
    id: strawberry.ID
    record: strawberry.Private[AccountRecord]
    # who reads it when not the caller's token: the account one has just signed in to
    reader: strawberry.Private[Principal | None] = None

    async def _require(self, info: Info[Context, None], needed: View, what: str) -> None:
        view = await view_of(info, self.record.id, self.record, self.reader)
        access.require(view, needed, what)

    @strawberry.field
    async def role(self, info: Info[Context, None]) -> Role:
        await self._require(info, View.PROFILE, "the role")
        return self.record.role

    @strawberry.field
    async def display_name(self, info: Info[Context, None]) -> str:
        await self._require(info, View.NAME, "the name")
        return self.record.display_name

    @strawberry.field
    async def email(self, info: Info[Context, None]) -> str:
        await self._require(info, View.FULL, "the email")
        return self.record.email

    @strawberry.field
    async def created_at(self, info: Info[Context, None]) -> datetime:
        await self._require(info, View.FULL, "the opening date")
        return self.record.created_at

    @strawberry.field
    async def balance(self, info: Info[Context, None]) -> Balance:
        await self._require(info, View.FULL, "the balance")
        found = await info.context.loader("balances", store.balances_by_learner).load(self.id)
        return Balance(
            available=found.available,
            redeemed=found.redeemed,
            expired=found.expired,
            earned=found.earned,
        )

    @strawberry.field
    async def ledger(
        self, info: Info[Context, None], first: int | None = 50, after: str | None = None
    ) -> LedgerPage:
        await self._require(info, View.FULL, "the ledger")
        first = 50 if first is None else first
        if not 1 <= first <= MAX_PAGE:
            raise Refusal(f"first must be between 1 and {MAX_PAGE}", field="first")
        async with info.context.pool.acquire() as conn:
            rows = await store.entries_before(conn, self.record.id, _position(after), first + 1)
        page = rows[:first]
        more = len(rows) > first
        return LedgerPage(
            entries=[LedgerEntry.from_entry(entry) for _, entry in page],
            next_cursor=_cursor(page[-1][0]) if more else None,
        )

    @strawberry.field
    async def consents(self, info: Info[Context, None]) -> list[Consent]:
        await self._require(info, View.FULL, "the consents")
        found = await info.context.loader("consents", repository.consents_by_account).load(
            self.record.id
        )
        return [Consent.from_consent(c) for c in consents.visible_to(info.context.require(), found)]

    @classmethod
    def from_record(cls, record: AccountRecord) -> Account:
        return cls(id=strawberry.ID(record.id), record=record)

    @classmethod
    async def resolve_reference(
        cls, info: Info[Context, None], id: strawberry.ID
    ) -> Account | None:
        record = await account_loader(info).load(str(id))
        return cls.from_record(record) if record else None


@strawberry.type
class Redemption:
    id: strawberry.ID
    learner_id: strawberry.Private[str]
    institution_id: strawberry.Private[str]
    course_code: str
    credits: Decimal
    redeemed_at: datetime

    @strawberry.field
    async def learner(self, info: Info[Context, None]) -> Account:
        return await _account(info, self.learner_id)

    @strawberry.field
    async def institution(self, info: Info[Context, None]) -> Account:
        return await _account(info, self.institution_id)


@strawberry.type
class AuthPayload:
    token: str
    account: Account


def _signed_in(info: Info[Context, None], record: AccountRecord) -> AuthPayload:
    tokens = info.context.deps.tokens
    reader = Principal(record.id, record.role)
    return AuthPayload(
        token=tokens.issue(record.id, record.role),
        account=Account(id=strawberry.ID(record.id), record=record, reader=reader),
    )


@strawberry.type
class Query:
    @strawberry.field
    async def me(self, info: Info[Context, None]) -> Account | None:
        principal = info.context.principal
        if principal is None:
            return None
        record = await account_loader(info).load(principal.account_id)
        return Account.from_record(record) if record else None

    @strawberry.field
    async def account(self, info: Info[Context, None], id: strawberry.ID) -> Account | None:
        """Answers only what the caller may see; an account it may not see at all, or
        one that does not exist, is refused alike."""
        record = await account_loader(info).load(str(id))
        access.require(await view_of(info, str(id), record), View.NAME, "anything")
        return Account.from_record(record) if record else None


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def open_account(
        self, info: Info[Context, None], email: str, password: str, display_name: str
    ) -> AuthPayload:
        async with info.context.pool.acquire() as conn:
            record = await service_layer.open_account(conn, email, password, display_name)
        return _signed_in(info, record)

    @strawberry.mutation
    async def login(self, info: Info[Context, None], email: str, password: str) -> AuthPayload:
        async with info.context.pool.acquire() as conn:
            record = await service_layer.login(conn, email, password)
        return _signed_in(info, record)

    @strawberry.mutation
    async def create_staff_account(
        self, info: Info[Context, None], role: Role, email: str, password: str, display_name: str
    ) -> Account:
        info.context.require(Role.ADMIN)
        async with info.context.pool.acquire() as conn:
            record = await service_layer.create_staff_account(
                conn, role, email, password, display_name
            )
        return Account.from_record(record)

    @strawberry.mutation
    async def grant_consent(
        self, info: Info[Context, None], institution_id: strawberry.ID, expires_at: datetime
    ) -> Consent:
        learner = info.context.require(Role.LEARNER)
        async with info.context.pool.acquire() as conn:
            consent = await service_layer.grant_consent(
                conn, learner.account_id, str(institution_id), expires_at
            )
        return Consent.from_consent(consent)

    @strawberry.mutation
    async def revoke_consent(self, info: Info[Context, None], consent_id: strawberry.ID) -> Consent:
        learner = info.context.require(Role.LEARNER)
        async with info.context.pool.acquire() as conn:
            consent = await service_layer.revoke_consent(conn, learner.account_id, str(consent_id))
        return Consent.from_consent(consent)

    @strawberry.mutation
    async def redeem_credits(
        self, info: Info[Context, None], learner_id: strawberry.ID, course_code: str
    ) -> Redemption:
        institution = info.context.require(Role.INSTITUTION)
        async with info.context.pool.acquire() as conn:
            done = await ledger_service.redeem(
                conn, institution.account_id, str(learner_id), course_code, datetime.now(UTC)
            )
        return Redemption(
            id=strawberry.ID(done.id),
            learner_id=done.learner_id,
            institution_id=done.institution_id,
            course_code=done.course_code,
            credits=done.credits,
            redeemed_at=done.redeemed_at,
        )


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=[Account],
    extensions=subgraph_extensions(),
)
