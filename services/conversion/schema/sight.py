"""What a resolver asks before it shows what a learner was credited: the facts the
access policy (domain/access.py) needs, fetched in batches per request, and its answer."""

from __future__ import annotations

from functools import partial

from cbkit.i18n import Text
from services.conversion.domain import access
from services.conversion.schema.context import Info
from services.conversion.service_layer import consents, outcomes, privacy


async def require_sight(info: Info, learner_id: str | None, what: Text) -> bool:
    """Refuse unless the caller may read `what` of the learner `learner_id` (None: a
    record this service does not hold, so no learner's). False when there is nothing
    to read: the learner closed the account and the caller is no admin."""
    viewer = info.context.principal
    consented = False
    closed = False
    if viewer is not None and learner_id is not None:
        if access.closure_hides(viewer):
            loader = info.context.loader("closed_learners", privacy.closed_among)
            closed = await loader.load(learner_id)
        if not closed and access.consent_matters(viewer):
            # one instant per request, so that every field of it answers alike
            now = info.context.deps.clock.now()
            consent = info.context.loader("consented", partial(consents.consented, now=now))
            consented = await consent.load((viewer.account_id, learner_id))
    return access.require_credits_sight(viewer, learner_id, consented, what, closed)


async def learner_of_outcome(info: Info, outcome_id: str) -> str | None:
    """The outcome's learner, or None when this service never heard of the outcome."""
    return await info.context.loader("outcome_learners", outcomes.learners_of).load(outcome_id)
