"""Who reads a learner's results and their evidence, on every path outcomes serves:
the `outcome` root field, an account's `outcomes` (nested, through `_entities`), an
`Outcome` through `_entities` directly, and `GET /evidence/{id}`. The learner and
admins read everything; an institution only under an active consent in outcomes' own
copy; a reviewer only with a case for the learner; nobody else anything."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
import pytest

from cbkit.auth import Role
from cbkit.testing import error_code, gql, new_id
from services.outcomes.tests.conftest import (
    OUTCOME,
    RESUBMIT,
    Consent,
    add_result,
    download,
    learner,
    pdf,
    upload,
)

ACCOUNT = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])
  { ... on Account { outcomes { id title evidence { id filename } } } } }"""
ENTITY = """query($id: ID!) { _entities(representations: [{__typename: "Outcome", id: $id}])
  { ... on Outcome { id title issuer learner { id } evidence { id filename } status } } }"""
STATUS_CODES = {200: "data", 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND"}

EVERYTHING = {"root": "data", "account": "data", "entity": "data", "download": "data"}
NOTHING = dict.fromkeys(EVERYTHING, "FORBIDDEN")
SIGN_IN_FIRST = dict.fromkeys(EVERYTHING, "UNAUTHENTICATED")


@dataclass(frozen=True)
class Deposit:
    """A learner's result with one file attached, and a file of theirs in no result."""

    learner_id: str
    token: str
    outcome_id: str
    title: str
    evidence_id: str
    content: bytes
    loose_id: str

    @property
    def outcome(self) -> tuple[str, str]:
        return self.outcome_id, self.learner_id


async def deposit(outcomes, stack) -> Deposit:
    learner_id, token = learner(stack)
    content = pdf()
    evidence_id = (await upload(outcomes, token, content, filename='Teacher "A".pdf')).json()["id"]
    title = f"Result {new_id()}"
    outcome = await add_result(outcomes, token, evidenceIds=[evidence_id], title=title)
    loose_id = (await upload(outcomes, token, pdf())).json()["id"]
    return Deposit(learner_id, token, outcome["id"], title, evidence_id, content, loose_id)


def institution_and_consent(stack, mine: Deposit) -> tuple[str, Consent]:
    """A new institution's token, and a consent (not yet announced) of `mine`'s learner
    to it."""
    institution_id = new_id()
    consent = Consent(new_id(), mine.learner_id, institution_id)
    return stack.token(institution_id, Role.INSTITUTION), consent


def _answer(found, value, deposit: Deposit) -> str:
    """'data' when the result came back, else the refusal's code, and then no trace of
    the result in the answer."""
    if value:
        return "data"
    assert deposit.title not in orjson.dumps(found).decode()
    return error_code(found)[0]


async def reads(outcomes, token, deposit: Deposit) -> dict[str, str]:
    """What each path gives the caller of `token`: 'data' or the refusal's code."""
    ids = {"id": deposit.outcome_id}
    root = await gql(outcomes, OUTCOME, ids, token)
    account = await gql(outcomes, ACCOUNT, {"id": deposit.learner_id}, token)
    entity = await gql(outcomes, ENTITY, ids, token)
    downloaded = await download(outcomes, deposit.evidence_id, token)
    if downloaded.status_code == 200:
        assert downloaded.content == deposit.content
    else:
        assert b"%PDF" not in downloaded.content
    listed = (account["data"]["_entities"][0] or {}).get("outcomes")
    seen = entity["data"]["_entities"][0]
    if seen:
        assert seen["title"] == deposit.title
        assert seen["evidence"] == [{"id": deposit.evidence_id, "filename": 'Teacher "A".pdf'}]
    return {
        "root": _answer(root, (root.get("data") or {}).get("outcome"), deposit),
        "account": _answer(account, listed and listed[0]["title"] == deposit.title, deposit),
        "entity": _answer(entity, seen, deposit),
        "download": STATUS_CODES[downloaded.status_code],
    }


async def test_the_learner_and_admins_read_everything(outcomes, stack):
    mine = await deposit(outcomes, stack)
    admin = stack.token(new_id(), Role.ADMIN)
    for token in (mine.token, admin):
        assert await reads(outcomes, token, mine) == EVERYTHING
        assert (await download(outcomes, mine.loose_id, token)).status_code == 200


async def test_a_caller_without_a_valid_token_is_asked_to_sign_in(outcomes, stack):
    mine = await deposit(outcomes, stack)
    expired = stack.token(mine.learner_id, Role.LEARNER, expires_in=timedelta(seconds=-60))
    for token in (None, "forged", expired):
        assert await reads(outcomes, token, mine) == SIGN_IN_FIRST


async def test_another_learner_reads_nothing(outcomes, stack):
    mine = await deposit(outcomes, stack)
    _, stranger = learner(stack)
    assert await reads(outcomes, stranger, mine) == NOTHING
    assert (await download(outcomes, mine.loose_id, stranger)).status_code == 403


async def test_an_institution_reads_while_the_consent_lasts_and_not_once_revoked(
    outcomes, stack, bus
):
    mine = await deposit(outcomes, stack)
    institution, consent = institution_and_consent(stack, mine)
    assert await reads(outcomes, institution, mine) == NOTHING

    await consent.granted(bus, outcomes, datetime.now(UTC) + timedelta(days=30))
    assert await reads(outcomes, institution, mine) == EVERYTHING
    other_institution = stack.token(new_id(), Role.INSTITUTION)
    assert await reads(outcomes, other_institution, mine) == NOTHING
    assert (await download(outcomes, mine.loose_id, institution)).status_code == 403

    # refused from the moment outcomes has handled the revocation
    await consent.revoked(bus, outcomes)
    assert await reads(outcomes, institution, mine) == NOTHING


async def test_an_expired_consent_gives_nothing_without_any_event(outcomes, stack, bus, clock):
    mine = await deposit(outcomes, stack)
    institution, consent = institution_and_consent(stack, mine)
    expires_at = datetime.now(UTC) + timedelta(hours=1)
    await consent.granted(bus, outcomes, expires_at)
    assert await reads(outcomes, institution, mine) == EVERYTHING
    clock.frozen_at = expires_at
    assert await reads(outcomes, institution, mine) == NOTHING


async def test_a_re_grant_moves_the_expiry_either_way(outcomes, stack, bus):
    mine = await deposit(outcomes, stack)
    institution, consent = institution_and_consent(stack, mine)
    now = datetime.now(UTC)
    await consent.granted(bus, outcomes, now + timedelta(days=30), granted_at=now)
    assert await reads(outcomes, institution, mine) == EVERYTHING

    earlier = now - timedelta(minutes=1)
    await consent.granted(bus, outcomes, earlier, granted_at=now + timedelta(seconds=1))
    assert await reads(outcomes, institution, mine) == NOTHING

    # a grant older than the one kept, arriving late, changes nothing
    await consent.granted(bus, outcomes, now + timedelta(days=60), granted_at=now)
    assert await reads(outcomes, institution, mine) == NOTHING

    await consent.granted(bus, outcomes, now + timedelta(days=1), now + timedelta(seconds=2))
    assert await reads(outcomes, institution, mine) == EVERYTHING


async def test_a_revocation_heard_before_its_grant_holds_until_a_later_grant(outcomes, stack, bus):
    mine = await deposit(outcomes, stack)
    institution, consent = institution_and_consent(stack, mine)
    now = datetime.now(UTC)
    await consent.revoked(bus, outcomes, revoked_at=now)
    await consent.granted(bus, outcomes, now + timedelta(days=30), granted_at=now - timedelta(1))
    assert await reads(outcomes, institution, mine) == NOTHING

    await consent.granted(bus, outcomes, now + timedelta(days=30), now + timedelta(seconds=1))
    assert await reads(outcomes, institution, mine) == EVERYTHING


async def test_a_reviewer_reads_while_a_case_of_the_learner_waits_or_is_theirs(
    outcomes, stack, bus
):
    mine = await deposit(outcomes, stack)
    first_id, second_id = new_id(), new_id()
    first, second = (stack.token(i, Role.REVIEWER) for i in (first_id, second_id))
    # waiting unclaimed in the review queue: any reviewer
    assert await reads(outcomes, second, mine) == EVERYTHING

    await bus.certification_step(outcomes, "claimed", mine.outcome, 2, reviewer_id=first_id)
    assert await reads(outcomes, first, mine) == EVERYTHING
    assert await reads(outcomes, second, mine) == NOTHING

    await bus.certification_step(outcomes, "info_requested", mine.outcome, 3, first_id)
    assert await reads(outcomes, first, mine) == EVERYTHING
    assert await reads(outcomes, second, mine) == NOTHING

    answer = {"id": mine.outcome_id, "note": "a clearer scan", "ev": None}
    assert "errors" not in await gql(outcomes, RESUBMIT, answer, mine.token)
    assert await reads(outcomes, second, mine) == EVERYTHING
    # nobody reviews a file in no result
    assert (await download(outcomes, mine.loose_id, first)).status_code == 403


@pytest.mark.parametrize("decision", ["approved", "rejected"])
async def test_a_reviewer_who_decided_keeps_reading_and_others_do_not(
    outcomes, stack, bus, decision
):
    mine = await deposit(outcomes, stack)
    decider_id = new_id()
    await bus.certification_step(outcomes, "claimed", mine.outcome, 2, decider_id)
    await bus.certification_step(outcomes, decision, mine.outcome, 3, decider_id)
    assert await reads(outcomes, stack.token(decider_id, Role.REVIEWER), mine) == EVERYTHING
    assert await reads(outcomes, stack.token(new_id(), Role.REVIEWER), mine) == NOTHING


async def test_the_owner_gets_the_bytes_as_a_download_that_is_never_sniffed(outcomes, stack):
    mine = await deposit(outcomes, stack)
    response = await download(outcomes, mine.evidence_id, mine.token)
    assert response.status_code == 200
    assert response.content == mine.content
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-length"] == str(len(mine.content))
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "Teacher 'A'.pdf" in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_unknown_ids_are_not_found(outcomes, stack):
    _, token = learner(stack)
    assert (await download(outcomes, new_id(), token)).status_code == 404
    assert (await download(outcomes, "not-a-uuid", token)).status_code == 404
    found = await gql(outcomes, OUTCOME, {"id": new_id()}, token)
    assert (found["data"]["outcome"], error_code(found)[0]) == (None, "NOT_FOUND")
    entity = await gql(outcomes, ENTITY, {"id": new_id()}, token)
    assert entity == {"data": {"_entities": [None]}}
