"""The reference story's certificate as an OB 3.0 `OpenBadgeCredential` and its
transcript as a CLR 2.0 `ClrCredential` are valid by 1EdTech's published JSON Schemas
(shipped in `standards/`); a document missing a required part is not."""

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator

from services.conversion.domain.credentials import Learner, clr, json_number, open_badge
from services.conversion.tests.samples import (
    AWARD,
    ISSUED,
    ISSUER,
    PROGRAM,
    PUBLIC,
    TEACHER,
    certificate,
    record,
    story,
    transcript,
)

STANDARDS = Path(__file__).resolve().parents[3] / "standards"


def validator(path: str) -> Draft201909Validator:
    schema = json.loads((STANDARDS / path).read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


OB = validator("ob-3.0/ob_v3p0_achievementcredential_schema.json")
CLR = validator("clr-2.0/clr_v2p0_clrcredential_schema.json")


def errors(checker: Draft201909Validator, document: dict[str, Any]) -> list[str]:
    # through JSON, as the document leaves the service
    wired = json.loads(json.dumps(document, ensure_ascii=False))
    return [f"{list(e.absolute_path)}: {e.message}" for e in checker.iter_errors(wired)]


def test_the_story_certificate_is_a_valid_open_badge() -> None:
    badge = certificate()
    assert errors(OB, badge) == []
    assert badge["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert badge["id"] == f"{PUBLIC}/credentials/7d4e2f10-1c2b-4a5d-8e6f-000000000001"
    assert badge["validFrom"] == "2026-12-01T19:00:30Z"
    assert badge["issuer"]["id"] == "did:web:bank.example.cn"
    assert badge["issuer"]["name"] == "重庆学分银行 / Chongqing Credit Bank"
    subject = badge["credentialSubject"]
    assert subject["id"] == f"urn:uuid:{TEACHER.id}"
    [identity] = subject["identifier"]
    assert identity["identityHash"].startswith("sha256$")
    assert "teacher@example.cn" not in json.dumps(badge).lower()
    assert subject["creditsEarned"] == 5.5
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["name"].startswith("幼儿园管理与游戏化教学证书 / ")
    assert "教研工作管理（PE-TRWM）" in achievement["criteria"]["narrative"]
    assert achievement["creditsAvailable"] == 5.5
    assert badge["credentialStatus"] == {
        "id": f"{PUBLIC}/credentials/status/1#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": f"{PUBLIC}/credentials/status/1",
    }
    assert "credentialStatus" not in open_badge(AWARD, PROGRAM, TEACHER, ISSUER, ISSUED, "x")


def test_the_story_transcript_is_a_valid_clr() -> None:
    document = transcript()
    assert errors(CLR, document) == []
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    subject = document["credentialSubject"]
    assert subject["type"] == ["ClrSubject"]
    names = [a["name"] for a in subject["achievement"]]
    assert names[0].startswith("幼儿园园长资格证")
    assert names[2] == "教研工作管理 / Teaching and research work management"
    assert names[3] == "幼儿游戏活动设计与组织 / Children's game activity design and organization"
    course = subject["achievement"][2]
    assert course["creditsAvailable"] == 3  # a whole amount is written as an integer
    assert course["humanCode"] == "PE-TRWM"
    assert course["fieldOfStudy"] == "学前教育 / Preschool Education"
    [rule] = course["alignment"]
    assert rule["targetCode"] == "6c0b7f3e-2f55-4f3a-9d2a-5d1f0b1a0001@1"
    credentials = subject["verifiableCredential"]
    assert credentials[0]["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    earned = [c["credentialSubject"]["creditsEarned"] for c in credentials[1:]]
    assert earned == [3, 2.5]
    assert credentials[1]["validUntil"] == "2031-11-30T00:00:00Z"
    # every embedded credential is a valid OB 3.0 AchievementCredential in its own right
    for credential in credentials:
        assert errors(OB, credential) == []
    assert [a["associationType"] for a in subject["association"]] == ["isRelatedTo"] * 2
    assert subject["association"][0]["targetId"] == subject["achievement"][0]["id"]


def drop(document: dict[str, Any], *path: str | int) -> dict[str, Any]:
    broken = copy.deepcopy(document)
    node: Any = broken
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return broken


@pytest.mark.parametrize(
    "path",
    [
        ("issuer",),
        ("validFrom",),
        ("credentialSubject", "achievement"),
        ("credentialSubject", "achievement", "criteria"),
        ("credentialSubject", "achievement", "name"),
    ],
)
def test_an_open_badge_missing_a_required_part_is_invalid(path: tuple[str, ...]) -> None:
    assert errors(OB, drop(certificate(), *path)) != []


@pytest.mark.parametrize(
    "path",
    [
        ("name",),
        ("credentialSubject", "verifiableCredential"),
        ("credentialSubject", "achievement", 2, "description"),
        ("credentialSubject", "association", 0, "targetId"),
    ],
)
def test_a_transcript_missing_a_required_part_is_invalid(path: tuple[str | int, ...]) -> None:
    assert errors(CLR, drop(transcript(), *path)) != []


def test_a_wrong_context_is_invalid() -> None:
    document = transcript()
    document["@context"] = document["@context"][:1] + document["@context"][2:]
    assert errors(CLR, document) != []


def test_a_transcript_of_two_hundred_achievements_builds_and_is_valid() -> None:
    conversions, results = record(200)
    document = clr(TEACHER, conversions, results, [certificate()], ISSUER, ISSUED, "t/200")
    assert len(document["credentialSubject"]["achievement"]) == 200
    assert errors(CLR, document) == []


def test_credits_are_written_exactly_or_refused() -> None:
    assert json_number(Decimal("3.0")) == 3
    assert isinstance(json_number(Decimal("3.0")), int)
    assert json.dumps(json_number(Decimal("2.5"))) == "2.5"
    assert json.dumps(json_number(Decimal("999.9"))) == "999.9"
    assert json.dumps(json_number(Decimal("0.1"))) == "0.1"
    with pytest.raises(ValueError):
        json_number(Decimal("0.10000000000000000001"))
    with pytest.raises(ValueError):
        json_number(Decimal("NaN"))


def test_a_document_names_only_its_own_learner() -> None:
    other = Learner(id="0f9d3a52-7c1e-4d8b-9a51-3b2f7e6c1a02")
    with pytest.raises(ValueError):
        open_badge(AWARD, PROGRAM, other, ISSUER, ISSUED, "x")
    conversions, results = story()
    with pytest.raises(ValueError):
        clr(other, conversions, results, [], ISSUER, ISSUED, "t")
