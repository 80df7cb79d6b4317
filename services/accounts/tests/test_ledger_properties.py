"""Whatever order and however often conversions, revocations, redemptions, their
reversals and expiry runs come, the balance row equals the sum of the entries and no
amount is negative."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbkit.auth import Principal, Role
from cbkit.envelope import Event
from cbkit.errors import Refusal
from cbkit.testing import new_id
from services.accounts.repository import accounts as repository
from services.accounts.repository import ledger as ledger_repository
from services.accounts.service_layer import accounts as service_layer
from services.accounts.service_layer import ledger as ledger_service
from services.accounts.tests.conftest import consume, converted, offer, revoked

LOT_COUNT = 3
EXPIRIES = st.sampled_from([None, -1, 30])


@dataclass(frozen=True)
class Lot:
    credits: Decimal
    expires_in: int | None  # days from today: a negative number is past

    @property
    def past(self) -> bool:
        return self.expires_in is not None and self.expires_in < 0

    def expires_on(self, today: date) -> str | None:
        return None if self.expires_in is None else str(today + timedelta(days=self.expires_in))


@dataclass(frozen=True)
class Op:
    name: str  # convert, redeliver, revoke, redeem, reverse, expire
    lot: int


OPS = st.builds(
    Op,
    st.sampled_from(["convert", "redeliver", "revoke", "redeem", "reverse", "expire"]),
    st.integers(0, LOT_COUNT - 1),
)
LOTS = st.lists(
    st.builds(Lot, st.integers(1, 100).map(lambda n: Decimal(n) / 10), EXPIRIES),
    min_size=LOT_COUNT,
    max_size=LOT_COUNT,
)


class Model:
    """What the ledger should hold: each lot is active once converted, until
    redeemed, expired or revoked; a reversed redemption makes it active again; a revocation
    seen first leaves nothing to convert."""

    def __init__(self, lots: list[Lot]) -> None:
        self.lots = lots
        self.state: dict[int, str] = {}
        self.totals = dict.fromkeys(("available", "redeemed", "expired", "earned"), Decimal(0))

    def apply(self, op: Op) -> None:
        lot, state = self.lots[op.lot], self.state.get(op.lot)
        if op.name in ("convert", "redeliver") and state is None:
            self.state[op.lot] = "ACTIVE"
            self._move(available=lot.credits, earned=lot.credits)
        elif op.name == "revoke" and state in (None, "ACTIVE"):
            self.state[op.lot] = "REVOKED"
            if state == "ACTIVE":
                self._move(available=-lot.credits, earned=-lot.credits)
        elif op.name == "redeem" and state == "ACTIVE" and not lot.past:
            self.state[op.lot] = "REDEEMED"
            self._move(available=-lot.credits, redeemed=lot.credits)
        elif op.name == "reverse" and state == "REDEEMED":
            self.state[op.lot] = "ACTIVE"
            self._move(available=lot.credits, redeemed=-lot.credits)
        elif op.name == "expire":
            for i, other in enumerate(self.lots):
                if self.state.get(i) == "ACTIVE" and other.past:
                    self.state[i] = "EXPIRED"
                    self._move(available=-other.credits, expired=other.credits)

    def _move(self, **amounts: Decimal) -> None:
        for name, amount in amounts.items():
            self.totals[name] += amount


SUMS = """
SELECT coalesce(sum(credits), 0) AS available,
       coalesce(-sum(credits) FILTER (WHERE kind IN ('REDEEMED', 'REVERSED')), 0) AS redeemed,
       coalesce(-sum(credits) FILTER (WHERE kind = 'EXPIRED'), 0) AS expired,
       coalesce(sum(credits) FILTER (WHERE kind IN ('CONVERTED', 'REVOKED')), 0) AS earned,
       count(*) FILTER (WHERE credits < 0 AND kind = 'CONVERTED') AS bad_signs
FROM ledger_entries WHERE learner_id = $1"""


async def test_the_balance_row_is_the_sum_of_the_entries_for_any_sequence(accounts, people):
    pool, clock = accounts.runtime.pool, accounts.runtime.deps.clock
    institution = await people.staff("INSTITUTION", "Property University")
    await offer(accounts, institution, *(f"C-{n}" for n in range(LOT_COUNT)))
    reverser = Principal(institution.id, Role.INSTITUTION)
    loop = asyncio.get_running_loop()

    def run(coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=60)

    async def new_learner() -> str:
        async with pool.acquire() as conn, conn.transaction():
            email = f"p.{new_id()}@example.org"
            account = await repository.insert_account(conn, Role.LEARNER, email, "P", "-")
            assert account is not None
            await ledger_repository.open_balance(conn, account.id)
            expires = clock.now() + timedelta(days=30)
            await service_layer.grant_consent(
                conn, account.id, institution.id, expires, clock.now()
            )
        return account.id

    async def apply(
        learner_id: str,
        conversions: list[Event],
        lots: list[Lot],
        op: Op,
        redemptions: dict[int, str],
    ) -> None:
        lot, conversion = lots[op.lot], conversions[op.lot]
        if op.name == "convert":
            await consume(
                accounts,
                converted(
                    learner_id,
                    f"C-{op.lot}",
                    str(lot.credits),
                    lot.expires_on(clock.today()),
                    conversion.data["conversionId"],
                ),
            )
        elif op.name == "redeliver":
            await consume(accounts, conversion)
        elif op.name == "revoke":
            await consume(accounts, revoked(conversion))
        elif op.name == "redeem":
            async with pool.acquire() as conn:
                with contextlib.suppress(Refusal):
                    redemption = await ledger_service.redeem(
                        conn, institution.id, learner_id, f"C-{op.lot}", clock.now(), clock.today()
                    )
                    redemptions[op.lot] = redemption.id
        elif op.name == "reverse":
            if op.lot in redemptions:
                async with pool.acquire() as conn:
                    with contextlib.suppress(Refusal):
                        await ledger_service.reverse_redemption(
                            conn, reverser, redemptions[op.lot], "property", clock.now(), 30
                        )
        else:
            async with pool.acquire() as conn, conn.transaction():
                await ledger_service.expire_due(conn, clock.today(), clock.now())

    async def check(learner_id: str, model: Model) -> None:
        learner = uuid.UUID(learner_id)
        row = await pool.fetchrow(
            "SELECT available, redeemed, expired, earned FROM balances WHERE learner_id = $1",
            learner,
        )
        sums = await pool.fetchrow(SUMS, learner)
        balance = dict(row)
        assert balance == {k: sums[k] for k in balance}
        assert balance == model.totals
        assert min(balance.values()) >= 0
        assert sums["bad_signs"] == 0
        per_conversion = await pool.fetchval(
            "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM ledger_entries"
            " WHERE learner_id = $1 AND kind IN ('CONVERTED', 'EXPIRED', 'REVOKED')"
            " GROUP BY conversion_id, kind) AS counts",
            learner,
        )
        assert per_conversion <= 1

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(lots=LOTS, ops=st.lists(OPS, min_size=2, max_size=20))
    def holds(lots: list[Lot], ops: list[Op]) -> None:
        learner_id = run(new_learner())
        conversions = [
            converted(learner_id, f"C-{i}", str(lot.credits), lot.expires_on(clock.today()))
            for i, lot in enumerate(lots)
        ]
        model = Model(lots)
        redemptions: dict[int, str] = {}
        for op in ops:
            run(apply(learner_id, conversions, lots, op, redemptions))
            model.apply(op)
        run(check(learner_id, model))

    await asyncio.to_thread(holds)
