"""The mutations: opening an account and signing in (anyone), staff accounts (admins),
consents (learners) and redemptions (institutions), each checked by the access policy."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cbkit.auth import Principal, Role
from services.accounts.domain import access
from services.accounts.domain.accounts import Account as AccountRecord
from services.accounts.schema.accounts import Account
from services.accounts.schema.consents import Consent
from services.accounts.schema.context import Info
from services.accounts.schema.ledger import Redemption
from services.accounts.service_layer import accounts as service_layer
from services.accounts.service_layer import ledger as ledger_service


@strawberry.type
class AuthPayload:
    token: str
    account: Account


def _signed_in(info: Info, record: AccountRecord) -> AuthPayload:
    """A token for the account, which its new holder may read at once."""
    token = info.context.deps.tokens.issue(record.id, record.role)
    reader = Principal(record.id, record.role)
    return AuthPayload(token=token, account=Account.from_record(record, reader))


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def open_account(
        self, info: Info, email: str, password: str, display_name: str
    ) -> AuthPayload:
        record = await info.context.run(service_layer.open_account, email, password, display_name)
        return _signed_in(info, record)

    @strawberry.mutation
    async def login(self, info: Info, email: str, password: str) -> AuthPayload:
        now = info.context.deps.clock.now()
        record = await info.context.run(service_layer.login, email, password, now)
        return _signed_in(info, record)

    @strawberry.mutation
    async def create_staff_account(
        self, info: Info, role: Role, email: str, password: str, display_name: str
    ) -> Account:
        info.context.require(*access.CREATES_STAFF)
        record = await info.context.run(
            service_layer.create_staff_account, role, email, password, display_name
        )
        return Account.from_record(record)

    @strawberry.mutation
    async def grant_consent(
        self, info: Info, institution_id: strawberry.ID, expires_at: datetime
    ) -> Consent:
        learner_id = info.context.require(*access.GRANTS_CONSENT).account_id
        now = info.context.deps.clock.now()
        consent = await info.context.run(
            service_layer.grant_consent, learner_id, str(institution_id), expires_at, now
        )
        return Consent.from_record(consent)

    @strawberry.mutation
    async def revoke_consent(self, info: Info, consent_id: strawberry.ID) -> Consent:
        learner_id = info.context.require(*access.GRANTS_CONSENT).account_id
        now = info.context.deps.clock.now()
        consent = await info.context.run(
            service_layer.revoke_consent, learner_id, str(consent_id), now
        )
        return Consent.from_record(consent)

    @strawberry.mutation
    async def redeem_credits(
        self, info: Info, learner_id: strawberry.ID, course_code: str
    ) -> Redemption:
        institution_id = info.context.require(*access.REDEEMS).account_id
        now = info.context.deps.clock.now()
        today = info.context.deps.clock.day_of(now)
        redemption = await info.context.run(
            ledger_service.redeem, institution_id, str(learner_id), course_code, now, today
        )
        return Redemption.from_record(redemption)
