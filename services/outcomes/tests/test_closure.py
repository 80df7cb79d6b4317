"""account.closed: a learner's files are deleted, their results keep kind, status and
dates with their text erased, and their id answers only the closure afterwards; late
events and old tokens bring nothing back; a second closure changes nothing."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson

from cbkit import wire
from cbkit.auth import Role
from cbkit.testing import error_code, eventually, gql, new_id
from services.outcomes.tests.conftest import (
    ADD,
    OUTCOME,
    RESUBMIT,
    Bus,
    Consent,
    add_result,
    download,
    learner,
    pdf,
    refusal,
    result_input,
    upload,
    uploaded,
)

LIST = """query($id: ID!) { _entities(representations: [{__typename: "Account", id: $id}])
  { ... on Account { outcomes { id } outcomesConnection { totalCount nodes { id } } } } }"""
ENTITY = """query($id: ID!) { _entities(representations: [{__typename: "Outcome", id: $id}])
  { ... on Outcome { id title } } }"""
SECRET = "Kindergarten principal of Yubei District No. 3"


async def in_chinese(client, query, variables, token) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "zh-CN"},
    )
    answer: dict[str, Any] = orjson.loads(response.content)
    return answer


async def closed(bus: Bus, client: httpx.AsyncClient, account_id: str, role: str = "LEARNER"):
    data = {"accountId": account_id, "role": role, "closedAt": wire.instant(datetime.now(UTC))}
    return await bus.told(client, "account.closed", data, "/services/accounts")


async def rows(client, query: str, *args: Any) -> list[dict[str, Any]]:
    async with client.runtime.pool.acquire() as conn:
        return [dict(r) for r in await conn.fetch(query, *args)]


class Learner:
    """A learner with two results (one resubmitted with a note), files attached and
    loose, and a consent to an institution: everything outcomes may hold of them."""

    async def deposit(self, outcomes, bus, stack) -> "Learner":
        self.id, self.token = learner(stack)
        self.secret = f"{SECRET} ({self.id[:8]})"
        self.files = [await uploaded(outcomes, self.token)]
        first = await add_result(
            outcomes,
            self.token,
            evidenceIds=list(self.files),
            title=self.secret,
            issuer=self.secret,
        )
        self.certificate = first["id"]
        await bus.certification_step(outcomes, "info_requested", (first["id"], self.id), 2)
        self.files.append(await uploaded(outcomes, self.token))
        note = {"id": first["id"], "note": f"{self.secret}: stamped copy", "ev": [self.files[-1]]}
        assert "errors" not in await gql(outcomes, RESUBMIT, note, self.token)
        experience = await add_result(
            outcomes, self.token, kind="WORK_EXPERIENCE", title=self.secret
        )
        self.experience = experience["id"]
        self.files += [e["id"] for e in experience["evidence"]]
        self.loose = await uploaded(outcomes, self.token)
        self.files.append(self.loose)
        self.institution = new_id()
        consent = Consent(new_id(), self.id, self.institution)
        await consent.granted(bus, outcomes, datetime.now(UTC) + timedelta(days=30))
        self.consent = consent

        async def sent() -> bool:  # the events about the learner left the outbox
            unsent = await rows(
                outcomes,
                "SELECT 1 FROM outbox WHERE sent_at IS NULL AND"
                " convert_from(body, 'UTF8')::jsonb ->> 'subject' = $1",
                self.id,
            )
            return not unsent and len(bus.heard_about("learnerId", self.id)) == 3

        await eventually(sent)
        return self

    async def stored(self, outcomes) -> dict[str, Any]:
        """What the tables hold of the learner, beyond the API."""
        learner = uuid.UUID(self.id)
        files = [uuid.UUID(f) for f in self.files]
        return {
            "results": await rows(
                outcomes,
                "SELECT id::text, kind, title, issuer, status, achieved_on, submitted_at"
                " FROM outcomes WHERE learner_id = $1 ORDER BY submitted_at",
                learner,
            ),
            "notes": await rows(
                outcomes,
                "SELECT note FROM resubmissions r JOIN outcomes o ON o.id = r.outcome_id"
                " WHERE o.learner_id = $1",
                learner,
            ),
            "files": await rows(outcomes, "SELECT id FROM evidence WHERE owner_id = $1", learner),
            "chunks": await rows(
                outcomes, "SELECT seq FROM evidence_chunks WHERE upload_id = ANY($1)", files
            ),
            "attached": await rows(
                outcomes, "SELECT 1 FROM outcome_evidence WHERE evidence_id = ANY($1)", files
            ),
            "consents": await rows(
                outcomes, "SELECT 1 FROM consents WHERE learner_id = $1", learner
            ),
            "reviewers": await rows(
                outcomes, "SELECT 1 FROM case_reviewers WHERE learner_id = $1", learner
            ),
            "outbox": await rows(
                outcomes,
                "SELECT 1 FROM outbox WHERE position($1 in convert_from(body, 'UTF8')) > 0",
                self.secret,
            ),
        }


async def test_a_closed_learner_s_data_is_erased_and_the_figures_stay(outcomes, bus, stack):
    mine = await Learner().deposit(outcomes, bus, stack)
    other = await Learner().deposit(outcomes, bus, stack)
    before = await mine.stored(outcomes)
    assert len(before["files"]) == len(before["chunks"]) == len(mine.files) == 4
    assert before["notes"] and before["consents"] and before["outbox"]
    for file in mine.files:
        assert (await download(outcomes, file, mine.token)).status_code == 200

    await closed(bus, outcomes, mine.id)

    after = await mine.stored(outcomes)
    erased = [r | {"title": "[erased]", "issuer": "[erased]"} for r in before["results"]]
    assert after["results"] == erased  # kinds, statuses and dates stay
    assert after["notes"] == [{"note": "[erased]"}]
    for gone in ("files", "chunks", "attached", "consents", "reviewers", "outbox"):
        assert after[gone] == [], gone
    for file in mine.files:
        assert (await download(outcomes, file, mine.token)).status_code == 404

    admin = stack.token(new_id(), Role.ADMIN)
    for token in (mine.token, admin):
        listed = await gql(outcomes, LIST, {"id": mine.id}, token)
        assert listed["data"]["_entities"] == [
            {"outcomes": [], "outcomesConnection": {"totalCount": 0, "nodes": []}}
        ]
        for outcome_id in (mine.certificate, mine.experience):
            found = await gql(outcomes, OUTCOME, {"id": outcome_id}, token)
            assert refusal(found)[:3] == (
                "NOT_FOUND",
                "id",
                "the result's learner closed their account",
            )
            entity = await gql(outcomes, ENTITY, {"id": outcome_id}, token)
            assert entity["data"]["_entities"] == [None]
            assert error_code(entity)[0] == "NOT_FOUND"
    chinese = await in_chinese(outcomes, OUTCOME, {"id": mine.certificate}, mine.token)
    assert chinese["errors"][0]["message"] == "该成果的学习者已注销账户"
    assert error_code(chinese) == ("NOT_FOUND", "id")
    institution = stack.token(mine.institution, Role.INSTITUTION)
    assert (await gql(outcomes, LIST, {"id": mine.id}, institution))["data"]["_entities"] == [None]

    # another learner keeps everything
    theirs = await other.stored(outcomes)
    assert len(theirs["files"]) == 4 and theirs["results"][0]["title"] == other.secret
    assert (await download(outcomes, other.files[0], other.token)).status_code == 200

    # a second closure (another event) erases nothing more and refuses nothing
    await closed(bus, outcomes, mine.id)
    assert await mine.stored(outcomes) == after


async def test_after_closure_late_events_and_old_tokens_bring_nothing_back(outcomes, bus, stack):
    mine = await Learner().deposit(outcomes, bus, stack)
    await closed(bus, outcomes, mine.id)
    erased = await mine.stored(outcomes)

    # accounts' and certification's late events: no consent copy, no reviewer kept,
    # the status moves for the bank's figures
    await mine.consent.granted(bus, outcomes, datetime.now(UTC) + timedelta(days=60))
    await bus.certification_step(outcomes, "claimed", (mine.certificate, mine.id), 9, new_id())
    now = await mine.stored(outcomes)
    assert now["consents"] == [] and now["reviewers"] == []
    assert [r["status"] for r in now["results"]] == ["IN_REVIEW", "SUBMITTED"]
    assert [r["title"] for r in now["results"]] == ["[erased]", "[erased]"]

    # the learner's token, issued before the closure, deposits nothing
    refused_upload = await upload(outcomes, mine.token, pdf())
    assert refused_upload.status_code == 403
    assert "closed" in refused_upload.json()["error"]
    added = await gql(outcomes, ADD, {"input": result_input([], kind="OTHER")}, mine.token)
    assert refusal(added)[0] == "FORBIDDEN" and "closed" in refusal(added)[2]
    note = {"id": mine.certificate, "note": "back again", "ev": None}
    assert refusal(await gql(outcomes, RESUBMIT, note, mine.token))[0] == "FORBIDDEN"
    chinese = await outcomes.post(
        "/evidence",
        files={"file": ("a.pdf", pdf(), "application/pdf")},
        headers={"Authorization": f"Bearer {mine.token}", "Accept-Language": "zh-CN"},
    )
    assert chinese.json()["error"] == "您的账户已注销：不能再提交任何内容"
    assert (await mine.stored(outcomes))["files"] == erased["files"] == []


async def test_an_institution_s_closure_ends_what_its_consents_allowed(outcomes, bus, stack):
    mine = await Learner().deposit(outcomes, bus, stack)
    institution = stack.token(mine.institution, Role.INSTITUTION)
    assert (await gql(outcomes, OUTCOME, {"id": mine.certificate}, institution))["data"]
    await closed(bus, outcomes, mine.institution, role="INSTITUTION")
    assert refusal(await gql(outcomes, OUTCOME, {"id": mine.certificate}, institution))[0] == (
        "FORBIDDEN"
    )
    # the learner loses nothing
    found = await gql(outcomes, OUTCOME, {"id": mine.certificate}, mine.token)
    assert found["data"]["outcome"]["title"] == mine.secret
