"""The mutations: sessions (`sessions.py`), staff accounts (admins), consents (learners)
and redemptions (institutions), each checked by the access policy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import strawberry

from cbkit.auth import Role
from services.accounts.domain import access, consents
from services.accounts.schema.accounts import Account
from services.accounts.schema.admin import AdminMutations
from services.accounts.schema.closure import ClosureMutations
from services.accounts.schema.consents import Consent
from services.accounts.schema.context import Info
from services.accounts.schema.institutions import InstitutionMutations
from services.accounts.schema.ledger import LedgerMutations, Redemption
from services.accounts.schema.sessions import SessionMutations
from services.accounts.service_layer import accounts as service_layer
from services.accounts.service_layer import ledger as ledger_service


async def _consent_change(
    info: Info, use_case: Callable[..., Awaitable[consents.Consent]], *args: object
) -> Consent:
    """The consent the signed-in learner grants or revokes now: `use_case(conn,
    learner_id, *args, now)`."""
    learner_id = info.context.require(*access.GRANTS_CONSENT).account_id
    now = info.context.deps.clock.now()
    return Consent.from_record(await info.context.run(use_case, learner_id, *args, now))


@strawberry.type
class Mutation(
    SessionMutations, InstitutionMutations, LedgerMutations, AdminMutations, ClosureMutations
):
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
        return await _consent_change(
            info, service_layer.grant_consent, str(institution_id), expires_at
        )

    @strawberry.mutation
    async def revoke_consent(self, info: Info, consent_id: strawberry.ID) -> Consent:
        return await _consent_change(info, service_layer.revoke_consent, str(consent_id))

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
