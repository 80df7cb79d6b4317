"""`POST /evidence` and `GET /evidence/{id}`: plain HTTP streams, so the gateway
can pass them through without holding a file."""

from __future__ import annotations

import contextlib
from urllib.parse import quote

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from cbkit.app import Runtime
from cbkit.auth import Principal
from cbkit.errors import Refusal
from cbkit.http import caller, refusal_response
from services.outcomes.adapters.multipart import PartData, PartEnd, PartStart, read_parts
from services.outcomes.domain import MAX_EVIDENCE_BYTES, EvidenceFile, access, check_size
from services.outcomes.service_layer.dependencies import Dependencies
from services.outcomes.service_layer.evidence import evidence_bytes, readable_evidence
from services.outcomes.service_layer.uploads import EvidenceUpload

FIELD = "file"
# Room for the multipart boundaries and part headers around the largest file.
MAX_BODY = MAX_EVIDENCE_BYTES + 64 * 1024


def content_disposition(filename: str) -> str:
    fallback = filename.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def _store_upload(
    request: Request, runtime: Runtime[Dependencies], owner_id: str
) -> EvidenceUpload:
    """The one file of the multipart body, stored as it streams in."""
    upload: EvidenceUpload | None = None
    in_file = False
    try:
        parts = read_parts(request.headers.get("content-type"), request.stream(), MAX_BODY)
        async with contextlib.aclosing(parts):
            async for part in parts:
                if isinstance(part, PartStart):
                    in_file = part.name == FIELD
                    if in_file and upload is not None:
                        raise Refusal(
                            "send one file per request", field=FIELD, zh="每个请求只能发送一个文件"
                        )
                    if in_file:
                        upload = await EvidenceUpload.begin(
                            runtime.pool, runtime.deps, owner_id, part.filename or ""
                        )
                elif isinstance(part, PartData) and in_file and upload is not None:
                    await upload.write(part.data)
                elif isinstance(part, PartEnd):
                    in_file = False
        if upload is None:
            raise Refusal(
                f"the multipart field '{FIELD}' with the file is missing",
                field=FIELD,
                zh=f"缺少存放文件的 multipart 字段“{FIELD}”",
            )
        return upload
    except BaseException:
        if upload is not None:
            await upload.abort()
        raise


async def _uploader(request: Request, runtime: Runtime[Dependencies]) -> Principal:
    """The learner uploading; a body declared too large is refused before it is read."""
    principal = await caller(request, runtime.keys, access.DEPOSITOR)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        check_size(int(declared))
    return principal


async def _stored(request: Request, runtime: Runtime[Dependencies], owner_id: str) -> EvidenceFile:
    upload = await _store_upload(request, runtime, owner_id)
    try:
        return await upload.finish()
    except BaseException:
        await upload.abort()
        raise


def _created(file: EvidenceFile) -> Response:
    return JSONResponse(
        {
            "id": file.id,
            "sha256": file.sha256,
            "size": file.size,
            "contentType": file.content_type,
            "filename": file.filename,
        },
        status_code=201,
        headers={"Location": f"/evidence/{file.id}"},
    )


def _download_headers(file: EvidenceFile) -> dict[str, str]:
    """A download, never shown inline nor sniffed, so a file cannot run as a page."""
    return {
        "Content-Length": str(file.size),
        "Content-Disposition": content_disposition(file.filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
        "ETag": f'"{file.sha256}"',
    }


def routes(runtime: Runtime[Dependencies]) -> list[BaseRoute]:
    async def upload(request: Request) -> Response:
        try:
            principal = await _uploader(request, runtime)
            file = await _stored(request, runtime, principal.account_id)
        except Refusal as refusal:
            return refusal_response(refusal, close=True, request=request)
        except ClientDisconnect:
            return Response(status_code=400)
        return _created(file)

    async def download(request: Request) -> Response:
        try:
            principal = await caller(request, runtime.keys)
            evidence_id = request.path_params["id"]
            async with runtime.pool.acquire() as conn:
                stored = await readable_evidence(conn, runtime.deps.clock, principal, evidence_id)
        except Refusal as refusal:
            return refusal_response(refusal, request=request)
        file = stored.file
        return StreamingResponse(
            evidence_bytes(runtime.pool, stored),
            media_type=file.content_type,
            headers=_download_headers(file),
        )

    return [
        Route("/evidence", upload, methods=["POST"]),
        Route("/evidence/{id}", download, methods=["GET"]),
    ]
