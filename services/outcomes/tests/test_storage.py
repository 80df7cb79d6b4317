"""What a learner may keep: files attached to no result are deleted after
CB_ABANDONED_UPLOAD_HOURS, and each learner's stored files stay within
CB_EVIDENCE_QUOTA_BYTES. Here outcomes runs with 2 hours and 3 MiB."""

from datetime import timedelta

import pytest
import pytest_asyncio

from cbkit.jobs import run_once
from cbkit.settings import SettingsError
from services.outcomes.service import build
from services.outcomes.tests.conftest import (
    add_result,
    download,
    learner,
    pdf,
    stored_chunks,
    upload,
    uploaded,
)

MiB = 1024 * 1024
HOURS = 2


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def outcomes(run_service):
    configured = {"CB_ABANDONED_UPLOAD_HOURS": str(HOURS), "CB_EVIDENCE_QUOTA_BYTES": str(3 * MiB)}
    async with run_service(build(), **configured) as client:
        yield client


async def sweep(outcomes) -> None:
    [job] = build().jobs(outcomes.runtime.deps)
    assert await run_once(outcomes.runtime.pool, job)


async def test_a_file_in_no_result_is_deleted_once_the_hours_have_passed(outcomes, stack, clock):
    _, token = learner(stack)
    loose = await uploaded(outcomes, token)
    content = pdf()
    attached = await uploaded(outcomes, token, content)
    await add_result(outcomes, token, evidenceIds=[attached])
    uploaded_at = clock.now()

    clock.frozen_at = uploaded_at + timedelta(hours=HOURS) - timedelta(minutes=1)
    await sweep(outcomes)
    assert (await download(outcomes, loose, token)).status_code == 200

    clock.frozen_at = uploaded_at + timedelta(hours=HOURS, minutes=1)
    await sweep(outcomes)
    assert (await download(outcomes, loose, token)).status_code == 404
    assert (await download(outcomes, attached, token)).content == content


async def test_an_upload_past_the_quota_is_refused_by_name_and_stores_nothing(outcomes, stack):
    _, token = learner(stack)
    for _ in range(2):
        await uploaded(outcomes, token, pdf(MiB))
    before = await stored_chunks(outcomes)
    refused = await upload(outcomes, token, pdf(MiB + MiB // 2))
    assert refused.status_code == 409
    body = refused.json()
    assert (body["code"], body["field"]) == ("CONFLICT", "file")
    assert "quota of 3 MiB" in body["error"] and "2 MiB stored" in body["error"]
    assert await stored_chunks(outcomes) == before

    assert (await upload(outcomes, token, pdf(MiB))).status_code == 201
    assert (await upload(outcomes, token, pdf(100))).status_code == 409
    _, other = learner(stack)
    assert (await upload(outcomes, other, pdf(2 * MiB))).status_code == 201


async def test_the_sweep_frees_the_space_of_loose_files_but_attached_ones_count(
    outcomes, stack, clock
):
    _, token = learner(stack)
    attached = await uploaded(outcomes, token, pdf(MiB))
    await add_result(outcomes, token, evidenceIds=[attached])
    await uploaded(outcomes, token, pdf(2 * MiB))
    assert (await upload(outcomes, token, pdf(MiB))).status_code == 409

    clock.frozen_at = clock.now() + timedelta(hours=HOURS, minutes=1)
    await sweep(outcomes)
    assert (await upload(outcomes, token, pdf(2 * MiB))).status_code == 201
    assert (await upload(outcomes, token, pdf(100))).status_code == 409


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CB_ABANDONED_UPLOAD_HOURS", "0"),
        ("CB_ABANDONED_UPLOAD_HOURS", "six"),
        ("CB_EVIDENCE_QUOTA_BYTES", "100MiB"),
        ("CB_EVIDENCE_QUOTA_BYTES", "-1"),
    ],
)
async def test_a_bad_setting_stops_the_start_and_names_the_variable(run_service, variable, value):
    with pytest.raises(SettingsError, match=variable):
        async with run_service(build(), **{variable: value}):
            pass
