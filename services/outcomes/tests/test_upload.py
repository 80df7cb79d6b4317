"""POST /evidence: size limit while streaming, type by content, bytes kept whole."""

import hashlib
import tracemalloc
import uuid

from cbkit.auth import Role
from cbkit.jobs import run_once
from cbkit.testing import new_id
from services.outcomes.service import build
from services.outcomes.tests.conftest import (
    JPEG,
    PDF,
    PNG,
    download,
    learner,
    pdf,
    stored_chunks,
    upload,
)

MiB = 1024 * 1024
BOUNDARY = "cb-test-boundary"


async def test_exactly_10_mib_is_accepted_and_comes_back_byte_for_byte(outcomes, stack):
    _, token = learner(stack)
    content = pdf(10 * MiB)
    response = await upload(outcomes, token, content, filename="licence.pdf")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["size"] == 10 * MiB
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["contentType"] == "application/pdf"
    assert body["filename"] == "licence.pdf"
    assert set(body) == {"id", "sha256", "size", "contentType", "filename"}
    back = await download(outcomes, body["id"], token)
    assert back.status_code == 200
    assert back.content == content


async def test_one_byte_more_than_10_mib_is_refused_and_nothing_is_kept(outcomes, stack):
    _, token = learner(stack)
    before = await stored_chunks(outcomes)
    response = await upload(outcomes, token, pdf(10 * MiB + 1))
    assert response.status_code == 413
    assert response.json()["field"] == "file"
    assert "10 MiB" in response.json()["error"]
    assert await stored_chunks(outcomes) == before


async def test_an_executable_renamed_pdf_is_refused(outcomes, stack):
    _, token = learner(stack)
    elf = b"\x7fELF\x02\x01\x01" + b"\0" * 4096
    response = await upload(
        outcomes, token, elf, filename="diploma.pdf", declared="application/pdf"
    )
    assert response.status_code == 415
    assert "PDF, PNG and JPEG" in response.json()["error"]
    windows = b"MZ\x90\x00" + b"\0" * 4096
    assert (await upload(outcomes, token, windows, filename="diploma.pdf")).status_code == 415


async def test_a_png_declared_as_pdf_is_stored_as_png(outcomes, stack):
    _, token = learner(stack)
    content = PNG + new_id().encode() + b"\0" * 100
    response = await upload(
        outcomes, token, content, filename="scan.pdf", declared="application/pdf"
    )
    assert response.status_code == 201
    assert response.json()["contentType"] == "image/png"
    back = await download(outcomes, response.json()["id"], token)
    assert back.headers["content-type"] == "image/png"


async def test_a_jpeg_is_accepted_and_a_tiny_or_empty_file_is_refused(outcomes, stack):
    _, token = learner(stack)
    jpeg = await upload(
        outcomes, token, JPEG + b"photo", filename="photo.jpg", declared="image/jpeg"
    )
    assert jpeg.json()["contentType"] == "image/jpeg"
    assert (await upload(outcomes, token, PDF[:4])).status_code == 415
    empty = await upload(outcomes, token, b"")
    assert empty.status_code == 400
    assert "empty" in empty.json()["error"]


async def test_the_file_name_is_kept_without_any_path(outcomes, stack):
    _, token = learner(stack)
    response = await upload(outcomes, token, pdf(), filename="../../etc/教师资格证.pdf")
    assert response.json()["filename"] == "教师资格证.pdf"


def _streamed_body(total_file_bytes: int, pulled: list[int]):
    """A multipart body generated lazily; `pulled` counts what the server read."""

    async def body():
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        yield head + PDF
        piece = b"\0" * (64 * 1024)
        sent = len(PDF)
        while sent < total_file_bytes:
            pulled[0] += len(piece)
            sent += len(piece)
            yield piece
        yield f"\r\n--{BOUNDARY}--\r\n".encode()

    return body()


def _streamed_headers(token: str, **extra: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        **extra,
    }


async def test_memory_stays_flat_while_a_50_mib_upload_is_refused(outcomes, stack):
    _, token = learner(stack)
    pulled = [0]
    headers = _streamed_headers(token)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        response = await outcomes.post(
            "/evidence", content=_streamed_body(50 * MiB, pulled), headers=headers
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 413
    assert pulled[0] < 11 * MiB, "the server kept reading after the limit"
    assert peak < 4 * MiB, f"peak {peak / MiB:.1f} MiB while refusing"


async def test_a_declared_oversized_body_is_refused_before_it_is_read(outcomes, stack):
    _, token = learner(stack)
    pulled = [0]
    headers = _streamed_headers(token, **{"Content-Length": str(50 * MiB)})
    response = await outcomes.post(
        "/evidence", content=_streamed_body(50 * MiB, pulled), headers=headers
    )
    assert response.status_code == 413
    assert pulled[0] == 0


async def test_only_a_signed_in_learner_may_upload(outcomes, stack):
    assert (await upload(outcomes, None, pdf())).status_code == 401
    assert (await upload(outcomes, "not-a-token", pdf())).status_code == 401
    for role in (Role.REVIEWER, Role.INSTITUTION, Role.ADMIN):
        response = await upload(outcomes, stack.token(new_id(), role), pdf())
        assert response.status_code == 403, role


async def test_a_request_without_the_file_field_is_refused(outcomes, stack):
    _, token = learner(stack)
    headers = {"Authorization": f"Bearer {token}"}
    other_field = await outcomes.post(
        "/evidence", files={"document": ("a.pdf", pdf(), "application/pdf")}, headers=headers
    )
    assert other_field.status_code == 400
    assert "'file'" in other_field.json()["error"]
    not_multipart = await outcomes.post("/evidence", content=pdf(), headers=headers)
    assert not_multipart.status_code == 400


async def test_two_files_in_one_request_are_refused(outcomes, stack):
    _, token = learner(stack)
    files = [
        ("file", ("a.pdf", pdf(), "application/pdf")),
        ("file", ("b.pdf", pdf(), "application/pdf")),
    ]
    response = await outcomes.post(
        "/evidence", files=files, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert "one file" in response.json()["error"]


async def test_the_sweep_drops_abandoned_chunks_and_never_a_stored_file(outcomes, stack):
    _, token = learner(stack)
    content = pdf(3 * MiB)
    kept = (await upload(outcomes, token, content)).json()["id"]
    abandoned = uuid.uuid4()
    async with outcomes.runtime.pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO evidence_chunks (upload_id, seq, data) VALUES ($1, 0, $2)",
            abandoned,
            b"%PDF-half",
        )
        await conn.execute("UPDATE evidence_chunks SET created_at = now() - interval '1 day'")
        await run_once(outcomes.runtime.pool, build().jobs(outcomes.runtime.deps)[0])
        left = await conn.fetchval(
            "SELECT count(*) FROM evidence_chunks WHERE upload_id = $1", abandoned
        )
    assert left == 0
    assert (await download(outcomes, kept, token)).content == content
