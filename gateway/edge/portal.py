"""The web portal's static files (`CB_PORTAL_DIR`, the build of `web/`, issue 15) at `/`: whatever
the gateway's own routes do not take. Only regular files inside the directory (no `..`,
no symlink leading out); `index.html` at `/` and for client-side routes (a GET for HTML
of a path with no file); hashed `/assets/*` cached for a year, the rest revalidated by
ETag; a pre-compressed `.gz` sibling for clients that accept gzip; a strict
Content-Security-Policy on every HTML answer. GraphiQL's page (GET /graphql) is not
served here and keeps its own headers."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocketClose

from gateway.edge.graphiql import ASSET_PREFIX

__all__ = ["CONTENT_SECURITY_POLICY", "GATEWAY_ROUTES", "Portal"]

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self' ws: wss:",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
GATEWAY_ROUTES = (
    "/graphql",
    "/evidence",
    "/me/export",
    "/healthz",
    "/readyz",
    "/metrics",
    ASSET_PREFIX,
    "/auth",
)
"""Path prefixes of the gateway's own routes: never a file of the portal nor index.html,
even where no route of the gateway answers (a method it lacks, an unmounted group)."""
ASSETS = "/assets/"
"""Vite's content-hashed files: a missing one is a 404, never index.html."""
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".txt": "text/plain; charset=utf-8",
    ".wasm": "application/wasm",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
}
NOT_BUILT_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>网页门户尚未构建 · The web portal is not built</title>
</head>
<body>
  <p>网页门户尚未构建（<code>CB_PORTAL_DIR</code> 中没有 index.html）。
    GraphQL 接口仍在 <a href="/graphql">/graphql</a>。</p>
  <p lang="en">The web portal is not built (no index.html in <code>CB_PORTAL_DIR</code>).
    The GraphQL API is still at <a href="/graphql">/graphql</a>.</p>
</body>
</html>
"""
NOT_BUILT_TEXT = (
    "网页门户尚未构建（CB_PORTAL_DIR 中没有 index.html）。\n"
    "the web portal is not built (no index.html in CB_PORTAL_DIR)\n"
)


@dataclass(frozen=True)
class _File:
    path: Path
    stat: os.stat_result
    encoding: str | None
    """"gzip" when this is the pre-compressed sibling of the file asked for."""


@dataclass(frozen=True)
class Portal:
    """The ASGI app the gateway's router falls back to when none of its routes matches."""

    root: Path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await WebSocketClose()(scope, receive, send)
            return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        response = await anyio.to_thread.run_sync(self.respond, request)  # it reads the disk
        await response(scope, receive, send)

    def respond(self, request: Request) -> Response:
        path: str = request.scope["path"]  # percent-decoded, as the server gives it
        relative = _relative(path)
        if relative is None:
            return _not_found("no such file")
        asset = f"/{relative}/".startswith(ASSETS)
        if _is_gateway_route(f"/{relative}"):
            return _not_found("Not Found")
        if request.method not in ("GET", "HEAD"):
            return _method_not_allowed()
        root = _directory(self.root)
        if root is None or _regular_file(root, "index.html") is None:
            return _not_built(request.headers)
        name = relative or "index.html"
        found = None if path.endswith("/") and relative else _find(root, name, _gzip(request))
        if found is None:
            if asset or not _wants_html(request.headers):
                return _not_found("no such file")
            name = "index.html"  # a client-side route: the portal's router draws it
            found = _find(root, name, _gzip(request))
            if found is None:
                return _not_built(request.headers)
        return _file_response(found, name, asset, request.headers)


def _is_gateway_route(path: str) -> bool:
    return any(path == prefix or path.startswith(f"{prefix}/") for prefix in GATEWAY_ROUTES)


def _relative(path: str) -> str | None:
    """The path's segments below the root; None when a segment could climb out of it or
    name something other than a plain file name (`..`, `.`, backslashes, NUL)."""
    segments = [segment for segment in path.split("/") if segment]
    for segment in segments:
        if segment in (".", "..") or "\\" in segment or "\x00" in segment:
            return None
    return "/".join(segments)


def _directory(root: Path) -> Path | None:
    try:
        resolved = root.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return resolved if resolved.is_dir() else None


def _regular_file(root: Path, relative: str) -> tuple[Path, os.stat_result] | None:
    """The file, when it is a regular file whose real path (symlinks followed) lies
    inside the root."""
    try:
        real = (root / relative).resolve(strict=True)
        found = real.stat()
    except (OSError, RuntimeError, ValueError):
        return None
    if not real.is_relative_to(root) or not stat.S_ISREG(found.st_mode):
        return None
    return real, found


def _find(root: Path, relative: str, gzip: bool) -> _File | None:
    plain = _regular_file(root, relative)
    if plain is None:
        return None
    if gzip and not relative.endswith(".gz"):
        compressed = _regular_file(root, f"{relative}.gz")
        if compressed is not None:
            return _File(*compressed, encoding="gzip")
    return _File(*plain, encoding=None)


def _content_type(name: str) -> str:
    return CONTENT_TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")


def _etag(found: _File) -> str:
    facts = f"{found.stat.st_ino}-{found.stat.st_size}-{found.stat.st_mtime_ns}"
    digest = hashlib.sha256(facts.encode()).hexdigest()[:32]
    return f'"{digest}-gz"' if found.encoding else f'"{digest}"'


def _file_response(found: _File, name: str, asset: bool, request: Headers) -> Response:
    content_type = _content_type(name)
    headers = _security_headers(html=content_type.startswith("text/html"))
    headers["Cache-Control"] = IMMUTABLE if asset else REVALIDATE
    headers["ETag"] = _etag(found)
    headers["Vary"] = "Accept-Encoding"
    if _matches(request.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    if found.encoding:
        headers["Content-Encoding"] = found.encoding
    return FileResponse(
        found.path, headers=headers, media_type=content_type, stat_result=found.stat
    )


def _matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match's weak comparison (RFC 9110 13.1.2)."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


def _gzip(request: Request) -> bool:
    """Whether the client accepts gzip (q > 0)."""
    for coding in request.headers.get("accept-encoding", "").split(","):
        name, _, parameters = coding.partition(";")
        if name.strip().lower() in ("gzip", "x-gzip", "*"):
            return _quality(parameters) > 0
    return False


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def _wants_html(headers: Headers) -> bool:
    return "text/html" in headers.get("accept", "")


def _security_headers(html: bool) -> dict[str, str]:
    headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    if html:
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return headers


def _not_built(request: Headers) -> Response:
    headers = _security_headers(html=True) | {"Cache-Control": REVALIDATE}
    if _wants_html(request):
        return HTMLResponse(NOT_BUILT_HTML, status_code=404, headers=headers)
    return PlainTextResponse(NOT_BUILT_TEXT, status_code=404, headers=headers)


def _not_found(message: str) -> Response:
    headers = _security_headers(html=False)
    return PlainTextResponse(message, status_code=404, headers=headers)


def _method_not_allowed() -> Response:
    headers = _security_headers(html=False) | {"Allow": "GET, HEAD"}
    return PlainTextResponse("Method Not Allowed", status_code=405, headers=headers)
