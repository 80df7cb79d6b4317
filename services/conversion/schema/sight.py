"""What a resolver asks before it shows what a learner was credited: the facts the
access policy (domain/access.py) needs, fetched in batches per request, and its answer."""

from __future__ import annotations

from functools import partial

from services.conversion.domain import access
from services.conversion.schema.context import Info
from services.conversion.service_layer import consents, outcomes


async def require_sight(info: Info, learner_id: str | None, what: str) -> None:
    """Refuse unless the caller may read `what` of the learner `learner_id` (None: a
    record this service does not hold, so no learner's)."""
    viewer = info.context.principal
    consented = False
    if viewer is not None and learner_id is not None and access.consent_matters(viewer):
        # one instant per request, so that every field of it answers alike
        now = info.context.deps.clock.now()
        loader = info.context.loader("consented", partial(consents.consented, now=now))
        consented = await loader.load((viewer.account_id, learner_id))
    access.require_credits_sight(viewer, learner_id, consented, what)


async def learner_of_outcome(info: Info, outcome_id: str) -> str | None:
    """The outcome's learner, or None when this service never heard of the outcome."""
    return await info.context.loader("outcome_learners", outcomes.learners_of).load(outcome_id)
