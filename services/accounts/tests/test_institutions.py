"""Member institutions: a public profile anyone may read, a directory learners search
to find whom to grant a consent, and the catalog courses an institution offers, the
only ones whose credits it may redeem."""

from __future__ import annotations

import random

import pytest

from cbkit.testing import error_code, new_id
from services.accounts.tests.conftest import (
    REDEEM,
    SET_COURSES,
    SET_PROFILE,
    consume,
    converted,
    course_changed,
    gql,
    grant,
    offer,
)

PROFILE = "{ id code name nameZh nameEn city coursesOffered { code } }"
BY_CODE = f"query($code: String!) {{ institution(code: $code) {PROFILE} }}"
DIRECTORY = """query($search: String, $first: Int, $after: String) {
  institutions(search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id code } } } }"""
ACCOUNT_PROFILE = """query($id: ID!) { account(id: $id) { id institution { code name } } }"""


def _marker() -> str:
    return new_id()[:8].upper()


def _chinese(length: int = 4) -> str:
    """Chinese characters no other test's names hold."""
    return "".join(chr(random.randint(0x4E00, 0x9FA5)) for _ in range(length))


async def _profile(
    accounts, who, institution, code, zh="重庆开放大学", en="Chongqing OU", city="重庆"
):
    variables = {"id": institution.id, "code": code, "zh": zh, "en": en, "city": city}
    return await gql(accounts, SET_PROFILE, variables, who.token)


async def _in_language(accounts, query, variables, language, token=None):
    headers = {"Accept-Language": language}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = await accounts.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    return response.json()


@pytest.fixture
async def institution(people):
    return await people.staff("INSTITUTION", "Chongqing Open University")


async def test_an_institution_sets_its_profile_and_anyone_reads_it(accounts, people, institution):
    code = f"cq-{_marker()}"
    zh = f"重庆{_chinese()}大学"
    body = await _profile(accounts, institution, institution, f"  {code} ", zh=f" {zh} ")

    profile = body["data"]["setInstitutionProfile"]
    assert profile == {
        "id": institution.id,
        "code": code.upper(),
        "name": "Chongqing OU",
        "nameZh": zh,
        "nameEn": "Chongqing OU",
        "city": "重庆",
    }
    anonymous = await gql(accounts, BY_CODE, {"code": code.lower()})
    assert anonymous["data"]["institution"] == {
        **profile,
        "coursesOffered": [],
    }
    chinese = await _in_language(accounts, BY_CODE, {"code": code}, "zh-CN,en;q=0.5")
    assert chinese["data"]["institution"]["name"] == zh
    learner = await people.learner()
    seen = await gql(accounts, ACCOUNT_PROFILE, {"id": institution.id}, learner.token)
    assert seen["data"]["account"]["institution"] == {"code": code.upper(), "name": "Chongqing OU"}
    own = await gql(accounts, ACCOUNT_PROFILE, {"id": learner.id}, learner.token)
    assert own["data"]["account"]["institution"] is None
    assert (await gql(accounts, BY_CODE, {"code": "NO-SUCH-CODE"}))["data"]["institution"] is None


async def test_the_directory_finds_by_code_chinese_and_english_name_and_city(
    accounts, people, institution
):
    other = await people.staff("INSTITUTION", "Other")
    marker, zh = _marker(), _chinese()
    code = f"DIR-{marker}"
    await _profile(
        accounts, institution, institution, code, zh=f"{zh}师范大学", en=f"Normal {marker}"
    )
    await _profile(accounts, other, other, f"X-{_marker()}", city=f"City{marker}")

    async def found(search):
        body = await gql(accounts, DIRECTORY, {"search": search, "first": 100})
        assert "errors" not in body, body
        return {e["node"]["id"] for e in body["data"]["institutions"]["edges"]}

    assert await found(code.lower()) == {institution.id}
    assert await found(zh) == {institution.id}
    assert await found(f"normal {marker.lower()}") == {institution.id}
    assert await found(marker) == {institution.id, other.id}
    assert await found(f"{marker}%") == set()  # a wildcard is a character like any other


async def test_the_directory_pages_to_the_end_in_code_order(accounts, people):
    marker = _marker()
    made = []
    for n in range(5):
        member = await people.staff("INSTITUTION", f"Member {n}")
        body = await _profile(accounts, member, member, f"P{n}-{marker}", city=f"Town {marker}")
        assert "errors" not in body, body
        made.append(member.id)

    seen, after = [], None
    while True:
        variables = {"search": f"town {marker}", "first": 2, "after": after}
        body = await gql(accounts, DIRECTORY, variables)
        page = body["data"]["institutions"]
        assert page["totalCount"] == 5
        seen += [e["node"]["code"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [f"P{n}-{marker}" for n in range(5)]
    bogus = await gql(accounts, DIRECTORY, {"search": marker, "after": "bogus"})
    assert error_code(bogus) == ("BAD_USER_INPUT", "after")


async def test_a_profile_is_refused_field_by_field(accounts, people, institution):
    learner = await people.learner()
    code = f"OK-{_marker()}"
    taken = await _profile(accounts, institution, institution, code)
    assert "errors" not in taken, taken
    rival = await people.staff("INSTITUTION", "Rival")

    cases = {
        "empty zh": (rival, rival, {"zh": "  "}, ("BAD_USER_INPUT", "nameZh")),
        "empty en": (rival, rival, {"en": ""}, ("BAD_USER_INPUT", "nameEn")),
        "empty city": (rival, rival, {"city": " "}, ("BAD_USER_INPUT", "city")),
        "long name": (rival, rival, {"en": "x" * 201}, ("BAD_USER_INPUT", "nameEn")),
        "bad code": (rival, rival, {"code": "中文"}, ("BAD_USER_INPUT", "code")),
        "taken code": (rival, rival, {"code": code.lower()}, ("CONFLICT", "code")),
        "a learner": (learner, learner, {}, ("FORBIDDEN", None)),
        "another's": (rival, institution, {}, ("FORBIDDEN", "institutionId")),
        "not an institution": (people.admin, learner, {}, ("BAD_USER_INPUT", "institutionId")),
    }
    for name, (who, target, change, expected) in cases.items():
        kwargs = {"code": f"NEW-{_marker()}", **change}
        body = await _profile(accounts, who, target, **kwargs)
        assert body["data"] is None, name
        assert error_code(body) == expected, name
    conflict = await _profile(accounts, rival, rival, code)
    assert code in conflict["errors"][0]["message"]
    chinese = await _in_language(
        accounts,
        SET_PROFILE,
        {"id": rival.id, "code": code, "zh": "甲", "en": "A", "city": "B"},
        "zh-CN",
        rival.token,
    )
    assert chinese["errors"][0]["message"] == "代码 " + code + " 已被另一个机构使用"
    anonymous = await gql(
        accounts, SET_PROFILE, {"id": rival.id, "code": "A", "zh": "甲", "en": "A", "city": "B"}
    )
    assert error_code(anonymous)[0] == "UNAUTHENTICATED"
    # an admin sets any institution's profile
    by_admin = await _profile(accounts, people.admin, rival, f"ADM-{_marker()}")
    assert "errors" not in by_admin, by_admin


async def test_courses_offered_are_replaced_and_unknown_or_retired_ones_refused(
    accounts, people, institution
):
    marker = _marker()
    first, second, old = f"A-{marker}", f"B-{marker}", f"OLD-{marker}"
    await offer(accounts, institution, first)
    await consume(accounts, course_changed(second))
    await consume(accounts, course_changed(old, retired_from="2026-01-01"))

    replaced = await gql(
        accounts, SET_COURSES, {"codes": [second.lower(), first]}, institution.token
    )
    assert replaced["data"]["setCoursesOffered"]["coursesOffered"] == [
        {"code": first},
        {"code": second},
    ]
    refused = await gql(
        accounts, SET_COURSES, {"codes": [first, "NOPE-" + marker, old]}, institution.token
    )
    assert error_code(refused) == ("BAD_USER_INPUT", "courseCodes")
    message = refused["errors"][0]["message"]
    assert f"unknown courses NOPE-{marker}" in message
    assert f"retired courses {old}" in message
    code = (await gql(accounts, ACCOUNT_PROFILE, {"id": institution.id}, institution.token))[
        "data"
    ]["account"]["institution"]["code"]
    unchanged = await gql(accounts, BY_CODE, {"code": code})
    assert unchanged["data"]["institution"]["coursesOffered"] == [{"code": first}, {"code": second}]

    emptied = await gql(accounts, SET_COURSES, {"codes": []}, institution.token)
    assert emptied["data"]["setCoursesOffered"]["coursesOffered"] == []


async def test_the_newest_course_change_wins_however_events_arrive(accounts, people, institution):
    code = f"LATE-{_marker()}"
    await offer(accounts, institution)
    await consume(accounts, course_changed(code, "2026-01-01", changed_at="2026-05-01T00:00:00Z"))
    # an older change (not yet retired) arriving late changes nothing
    await consume(accounts, course_changed(code, None, changed_at="2026-04-01T00:00:00Z"))
    body = await gql(accounts, SET_COURSES, {"codes": [code]}, institution.token)
    assert error_code(body) == ("BAD_USER_INPUT", "courseCodes")
    # a newer change reopens it
    await consume(accounts, course_changed(code, None, changed_at="2026-06-01T00:00:00Z"))
    body = await gql(accounts, SET_COURSES, {"codes": [code]}, institution.token)
    assert body["data"]["setCoursesOffered"]["coursesOffered"] == [{"code": code}]


async def test_who_sets_the_courses_offered(accounts, people, institution):
    code = f"W-{_marker()}"
    await offer(accounts, institution, code)
    learner = await people.learner()
    rival = await people.staff("INSTITUTION", "Rival")
    variables = {"codes": [code], "id": institution.id}

    assert error_code(await gql(accounts, SET_COURSES, variables, learner.token))[0] == "FORBIDDEN"
    assert error_code(await gql(accounts, SET_COURSES, variables, rival.token)) == (
        "FORBIDDEN",
        "institutionId",
    )
    assert error_code(await gql(accounts, SET_COURSES, variables))[0] == "UNAUTHENTICATED"
    admin_without = await gql(accounts, SET_COURSES, {"codes": [code]}, people.admin.token)
    assert error_code(admin_without) == ("FORBIDDEN", "institutionId")
    by_admin = await gql(accounts, SET_COURSES, variables, people.admin.token)
    assert by_admin["data"]["setCoursesOffered"]["coursesOffered"] == [{"code": code}]
    no_profile = await gql(accounts, SET_COURSES, {"codes": [code]}, rival.token)
    assert error_code(no_profile) == ("BAD_USER_INPUT", "institutionId")


async def test_an_institution_redeems_only_a_course_it_offers(accounts, people, institution):
    learner = await people.learner()
    marker = _marker()
    offered, other = f"PE-TRM-{marker}", f"PE-TRWM-{marker}"
    code = await offer(accounts, institution, offered)
    await consume(accounts, course_changed(other))
    await consume(accounts, converted(learner.id, other, "3.0"))
    await consume(accounts, converted(learner.id, offered, "2.0"))
    await grant(accounts, learner, institution)

    refused = await gql(
        accounts, REDEEM, {"learner": learner.id, "course": other}, institution.token
    )
    assert error_code(refused) == ("FORBIDDEN", "courseCode")
    assert refused["errors"][0]["message"].startswith(
        f"institution {code} does not offer course {other}; "
    )
    assert offered in refused["errors"][0]["message"]
    chinese = await _in_language(
        accounts, REDEEM, {"learner": learner.id, "course": other}, "zh-CN", institution.token
    )
    assert error_code(chinese) == ("FORBIDDEN", "courseCode")
    assert chinese["errors"][0]["message"].startswith(f"机构 {code} 不提供课程 {other}；")
    redeemed = await gql(
        accounts, REDEEM, {"learner": learner.id, "course": offered.lower()}, institution.token
    )
    assert redeemed["data"]["redeemCredits"]["credits"] == "2.0"
