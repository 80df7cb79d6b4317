"""The Account entity. Each field asks the access policy what its caller may see of
that account, however it was reached: a root field, a consent, a ledger entry or
`_entities`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.dataloader import DataLoader

from cbkit import paging
from cbkit.auth import Principal, Role
from cbkit.db import Connection
from cbkit.graphql import FromRecord
from services.accounts.domain import access
from services.accounts.domain import accounts as account_rules
from services.accounts.domain.access import View
from services.accounts.domain.accounts import Account as AccountRecord
from services.accounts.repository import accounts as repository
from services.accounts.repository import ledger as store
from services.accounts.schema import consents as consent_types
from services.accounts.schema import institutions as institution_types
from services.accounts.schema import ledger as ledger_types
from services.accounts.schema.context import Info

if TYPE_CHECKING:
    from services.accounts.schema.consents import Consent
    from services.accounts.schema.institutions import Institution
    from services.accounts.schema.ledger import LedgerPage

strawberry.enum(Role, name="Role")

# lazily, because a consent and a ledger entry lead back to accounts
ConsentType = Annotated["Consent", strawberry.lazy("services.accounts.schema.consents")]
LedgerPageType = Annotated["LedgerPage", strawberry.lazy("services.accounts.schema.ledger")]
InstitutionType = Annotated["Institution", strawberry.lazy("services.accounts.schema.institutions")]


def account_loader(info: Info) -> DataLoader[str, AccountRecord | None]:
    return info.context.loader("accounts", repository.accounts_by_id)


async def referenced(info: Info, account_id: str) -> Account:
    """The account another record refers to, which therefore exists."""
    record = await account_loader(info).load(account_id)
    assert record is not None, f"account {account_id} is referenced but missing"
    return Account.from_record(record)


async def visible(info: Info, account_id: str) -> Account | None:
    """The account, refused unless the caller may see something of it; one that does not
    exist is refused alike (None only for an admin, who may see any)."""
    record = await account_loader(info).load(account_id)
    access.require(await view_of(info, account_id, record), View.NAME, "anything")
    return Account.from_record(record) if record else None


async def _consenting(
    institution_id: str, now: datetime, conn: Connection, learner_ids: list[str]
) -> list[bool]:
    found = await repository.consenting_learners(conn, institution_id, learner_ids, now)
    return [i in found for i in learner_ids]


async def view_of(
    info: Info, account_id: str, record: AccountRecord | None, reader: Principal | None = None
) -> View:
    """What the caller sees of an account: consents are read afresh for each request."""
    viewer = reader or info.context.require()
    consented = False
    if record and record.role is Role.LEARNER and access.consent_matters(viewer):
        fetch = partial(_consenting, viewer.account_id, info.context.deps.clock.now())
        loader = info.context.loader(f"consenting:{viewer.account_id}", fetch)
        consented = await loader.load(account_id)
    return access.view_of(viewer, account_id, record.role if record else None, consented)


@strawberry.type
class Balance(FromRecord):
    available: Decimal
    redeemed: Decimal
    expired: Decimal
    earned: Decimal


@strawberry.federation.type(keys=["id"])
class Account:
    id: strawberry.ID
    record: strawberry.Private[AccountRecord]
    # who reads it when not the caller's token: the account one has just signed in to
    reader: strawberry.Private[Principal | None] = None

    async def _require(self, info: Info, needed: View, what: str) -> None:
        """Refuse unless the caller may see `what`; a closed account answers nothing but
        its closure (and its id) to anyone."""
        view = await view_of(info, self.record.id, self.record, self.reader)
        access.require(view, needed, what)
        if self.record.closed_at is not None:
            raise account_rules.closed(self.record)

    @strawberry.field(
        description="When the account was closed by its learner; then every other field"
        " but id is refused."
    )
    async def closed_at(self, info: Info) -> datetime | None:
        view = await view_of(info, self.record.id, self.record, self.reader)
        access.require(view, View.NAME, "the name")
        return self.record.closed_at

    @strawberry.field(description="When an admin disabled the account (it cannot sign in).")
    async def disabled_at(self, info: Info) -> datetime | None:
        await self._require_standing(info)
        return self.record.disabled_at

    @strawberry.field(description="Why an admin disabled the account.")
    async def disabled_reason(self, info: Info) -> str | None:
        await self._require_standing(info)
        return self.record.disabled_reason

    async def _require_standing(self, info: Info) -> None:
        access.require_standing(self.reader or info.context.require(), self.record.id)
        if self.record.closed_at is not None:
            raise account_rules.closed(self.record)

    @strawberry.field
    async def role(self, info: Info) -> Role:
        await self._require(info, View.PROFILE, "the role")
        return self.record.role

    @strawberry.field
    async def display_name(self, info: Info) -> str:
        await self._require(info, View.NAME, "the name")
        return self.record.display_name

    @strawberry.field
    async def email(self, info: Info) -> str:
        await self._require(info, View.FULL, "the email")
        return self.record.email

    @strawberry.field
    async def created_at(self, info: Info) -> datetime:
        await self._require(info, View.FULL, "the opening date")
        return self.record.created_at

    @strawberry.field
    async def balance(self, info: Info) -> Balance:
        await self._require(info, View.FULL, "the balance")
        found = await info.context.loader("balances", store.balances_by_learner).load(self.id)
        return Balance.from_record(found)

    @strawberry.field(deprecation_reason="use ledgerConnection: it pages")
    async def ledger(
        self, info: Info, first: int | None = 50, after: str | None = None
    ) -> LedgerPageType:
        await self._require(info, View.FULL, "the ledger")
        return await ledger_types.page(info, self.record.id, first, after)

    @strawberry.field(deprecation_reason="use consentsConnection: it pages")
    async def consents(self, info: Info) -> list[ConsentType]:
        await self._require(info, View.FULL, "the consents")
        loader = info.context.loader("consents", repository.consents_by_account)
        visible = access.visible_consents(info.context.require(), await loader.load(self.id))
        return [consent_types.Consent.from_record(c) for c in visible]

    @strawberry.field(description="The learner's ledger, newest first, a page at a time.")
    async def ledger_connection(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> paging.Connection[ledger_types.LedgerEntry]:
        await self._require(info, View.FULL, "the ledger")
        return await ledger_types.ledger_connection(info, self.record.id, first, after)

    @strawberry.field(
        description="The consents a learner granted or an institution received, newest"
        " first; an institution reading a learner sees only those given to itself."
    )
    async def consents_connection(
        self,
        info: Info,
        first: int | None = 20,
        after: str | None = None,
        active_only: bool | None = False,
    ) -> paging.Connection[consent_types.Consent]:
        await self._require(info, View.FULL, "the consents")
        return await consent_types.consents_connection(
            info, "consents", self.record.role, self.record.id, first, after, bool(active_only)
        )

    @strawberry.field(
        description="An institution's active consents, newest first: the learners it may"
        " read (Consent.learner); empty for other accounts."
    )
    async def consented_learners(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> paging.Connection[consent_types.Consent]:
        await self._require(info, View.FULL, "the consented learners")
        role = self.record.role if self.record.role is Role.INSTITUTION else None
        return await consent_types.consents_connection(
            info, "consentedLearners", role, self.record.id, first, after, True
        )

    @strawberry.field(
        description="A learner's redemptions, or those an institution made, newest first;"
        " an institution reading a learner sees those it made."
    )
    async def redemptions_connection(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> paging.Connection[ledger_types.Redemption]:
        await self._require(info, View.FULL, "the redemptions")
        return await ledger_types.redemptions_connection(
            info, self.record.role, self.record.id, first, after
        )

    @strawberry.field(
        description="The public profile of an institution's account (anyone may read it);"
        " null for other accounts and an institution without one."
    )
    async def institution(self, info: Info) -> InstitutionType | None:
        if self.record.role is not Role.INSTITUTION:
            return None
        return await institution_types.profile_of(info, self.record.id)

    @classmethod
    def from_record(cls, record: AccountRecord, reader: Principal | None = None) -> Account:
        return cls(id=strawberry.ID(record.id), record=record, reader=reader)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Account | None:
        record = await account_loader(info).load(str(id))
        return cls.from_record(record) if record else None
