"""The reference story's transcript is one request from a client, through the gateway."""

from __future__ import annotations

from decimal import Decimal

import httpx

from gateway.tests.test_differential_services import TRANSCRIPT
from gateway.tests.world import World


async def test_the_whole_transcript_is_one_request(world: World) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            world.gateway, json={"query": TRANSCRIPT}, headers=world.auth("learner")
        )
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    me = body["data"]["me"]
    assert me["displayName"] == "Li Na"
    assert Decimal(me["balance"]["available"]) == Decimal("5.5")
    by_title = {o["title"]: o for o in me["outcomes"]}
    principal = by_title["Kindergarten principal qualification"]
    teacher = by_title["Preschool teacher qualification"]
    for outcome, course, credits in (
        (principal, "Teaching and research work management", "3.0"),
        (teacher, "Children's game activity design and organization", "2.5"),
    ):
        assert outcome["status"] == "CERTIFIED"
        assert outcome["evidence"][0]["contentType"] == "application/pdf"
        assert outcome["certification"]["status"] == "APPROVED"
        assert outcome["certification"]["reviewer"]["displayName"] == "Zhou Min"
        [conversion] = outcome["conversions"]
        assert conversion["course"]["name"] == course
        assert conversion["course"]["major"]["name"] == "Preschool Education"
        assert Decimal(conversion["credits"]) == Decimal(credits)
    rejected = by_title["Early childhood nutrition MOOC"]
    assert rejected["certification"]["reason"] == "the course has no assessment"
    assert rejected["conversions"] == []
    assert by_title["Kindergarten teaching assistant"]["certification"]["status"] == "PENDING"
    [certificate] = me["certificates"]
    assert certificate["program"]["code"] == "PE-KINDERGARTEN-MANAGEMENT"
    assert {c["code"] for c in certificate["program"]["requiredCourses"]} == {
        "PE-TRWM",
        "PE-CGADO",
    }
