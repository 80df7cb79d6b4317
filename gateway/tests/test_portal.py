"""The web portal's static files served by the gateway at / (gateway/edge/portal.py):
files only from inside CB_PORTAL_DIR, client-side routes falling back to index.html,
cache and security headers, ETag revalidation, pre-compressed gzip, and the note shown
when the portal is not built. Our gateway over the toys, served by uvicorn; the tricky
request targets are sent as raw HTTP so no client normalises them first."""

from __future__ import annotations

import asyncio
import gzip
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import pytest_asyncio

from cbkit.testing import TestStack
from gateway.app import create_app
from gateway.edge.config import DEFAULT_PORTAL_DIR, EdgeConfig, load_gateway_settings
from gateway.tests.conftest import ToySubgraphs
from gateway.tests.harness import serve_asgi

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self' ws: wss:; frame-src 'self' blob:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HTML = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
INDEX = (
    b'<!doctype html><title>Credit Bank</title><script type="module" src="/assets/app-3f2a.js">'
    b"</script>"
)
APP_JS = b"console.log('the portal');\n" * 200
SECRET = b"the bank's secret, outside the portal"
FILES = {
    "index.html": INDEX,
    "assets/app-3f2a.js": APP_JS,
    "assets/app-3f2a.css": b"body { margin: 0; }\n",
    "assets/logo-9c1d.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
    "assets/font-77aa.woff2": b"wOF2" + bytes(60),
    "assets/icon-12ab.png": b"\x89PNG\r\n\x1a\n" + bytes(30),
    "locales/zh-CN.json": '{"hello": "你好"}'.encode(),
    "manifest.webmanifest": b'{"name": "Credit Bank"}',
    "favicon.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
}


@dataclass(frozen=True)
class Portal:
    url: str
    dist: Path


def make_dist(root: Path) -> Path:
    """A built portal under root/dist, and things around and inside it that must never be
    served: a secret next to it, symlinks leading out, a directory, a FIFO."""
    dist = root / "dist"
    for name, content in FILES.items():
        (dist / name).parent.mkdir(parents=True, exist_ok=True)
        (dist / name).write_bytes(content)
    (dist / "assets/app-3f2a.js.gz").write_bytes(gzip.compress(APP_JS))
    (root / "secret.txt").write_bytes(SECRET)
    (root / "outside").mkdir()
    (root / "outside/page.html").write_bytes(SECRET)
    (dist / "leak.txt").symlink_to(root / "secret.txt")
    (dist / "assets/leak-0000.js").symlink_to(root / "secret.txt")
    (dist / "escape").symlink_to(root / "outside")
    (dist / "inside.svg").symlink_to(dist / "favicon.svg")
    os.mkfifo(dist / "pipe")
    return dist


@pytest_asyncio.fixture(scope="module")
async def portal(
    toys: ToySubgraphs, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Portal]:
    dist = make_dist(tmp_path_factory.mktemp("portal"))
    app = create_app(toys.supergraph, config=EdgeConfig(portal_dir=dist))
    async with serve_asgi(app) as url:
        yield Portal(url, dist)


async def get(url: str, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.get(f"{url}{path}", headers=headers or {})


@dataclass(frozen=True)
class Raw:
    status: int
    headers: dict[str, str]
    body: bytes


async def raw(url: str, target: str, accept: str = "text/html", method: str = "GET") -> Raw:
    """A request with the target exactly as written (httpx would resolve `..` first)."""
    base = urlsplit(url)
    reader, writer = await asyncio.open_connection(base.hostname, base.port)
    request = (
        f"{method} {target} HTTP/1.1\r\nHost: {base.netloc}\r\nAccept: {accept}\r\n"
        "Accept-Encoding: identity\r\nConnection: close\r\n\r\n"
    )
    writer.write(request.encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Raw(int(status_line.split()[1]), headers, body)


def assert_strict_html(response: httpx.Response) -> None:
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_the_root_is_index_html_with_a_strict_policy_and_revalidated(
    portal: Portal,
) -> None:
    response = await get(portal.url, "/", HTML)
    assert response.status_code == 200
    assert response.content == INDEX
    assert_strict_html(response)
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["etag"]
    direct = await get(portal.url, "/index.html", HTML)
    assert direct.content == INDEX
    assert_strict_html(direct)
    assert direct.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/assets/app-3f2a.js", "text/javascript; charset=utf-8"),
        ("/assets/app-3f2a.css", "text/css; charset=utf-8"),
        ("/assets/logo-9c1d.svg", "image/svg+xml"),
        ("/assets/font-77aa.woff2", "font/woff2"),
        ("/assets/icon-12ab.png", "image/png"),
        ("/locales/zh-CN.json", "application/json"),
        ("/manifest.webmanifest", "application/manifest+json"),
    ],
)
async def test_files_have_their_content_type_and_hashed_assets_are_cached_for_a_year(
    portal: Portal, path: str, content_type: str
) -> None:
    response = await get(portal.url, path, {"accept": "*/*", "accept-encoding": "identity"})
    assert response.status_code == 200
    assert response.content == FILES[path.removeprefix("/")]
    assert response.headers["content-type"] == content_type
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "content-security-policy" not in response.headers
    assert "content-encoding" not in response.headers
    expected = "public, max-age=31536000, immutable" if path.startswith("/assets/") else "no-cache"
    assert response.headers["cache-control"] == expected


async def test_head_answers_the_headers_of_get_without_the_body(portal: Portal) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        got = await client.get(f"{portal.url}/assets/app-3f2a.css")
        head = await client.head(f"{portal.url}/assets/app-3f2a.css")
        head_root = await client.head(f"{portal.url}/", headers=HTML)
    assert head.status_code == 200 and head.content == b""
    for name in ("content-type", "content-length", "etag", "cache-control"):
        assert head.headers[name] == got.headers[name], name
    assert head_root.status_code == 200
    assert head_root.headers["content-security-policy"] == CSP


async def test_an_unchanged_file_is_a_304_and_a_changed_one_is_sent_again(portal: Portal) -> None:
    first = await get(portal.url, "/", HTML)
    etag = first.headers["etag"]
    again = await get(portal.url, "/", HTML | {"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == "no-cache"
    weak = await get(portal.url, "/", HTML | {"if-none-match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    other = await get(portal.url, "/", HTML | {"if-none-match": '"not-this-one"'})
    assert other.status_code == 200 and other.content == INDEX
    asset = await get(portal.url, "/assets/app-3f2a.css")
    cached = await get(portal.url, "/assets/app-3f2a.css", {"if-none-match": asset.headers["etag"]})
    assert cached.status_code == 304
    assert cached.headers["cache-control"] == "public, max-age=31536000, immutable"
    manifest = portal.dist / "manifest.webmanifest"
    before = await get(portal.url, "/manifest.webmanifest")
    manifest.write_bytes(b'{"name": "Credit Bank", "short_name": "CB"}')
    try:
        after = await get(
            portal.url, "/manifest.webmanifest", {"if-none-match": before.headers["etag"]}
        )
    finally:
        manifest.write_bytes(FILES["manifest.webmanifest"])
    assert after.status_code == 200
    assert after.content == b'{"name": "Credit Bank", "short_name": "CB"}'
    assert after.headers["etag"] != before.headers["etag"]


async def test_the_gzip_sibling_is_sent_to_clients_that_accept_gzip(portal: Portal) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        zipped = await client.get(
            f"{portal.url}/assets/app-3f2a.js", headers={"accept-encoding": "gzip, br"}
        )
        plain = await client.get(
            f"{portal.url}/assets/app-3f2a.js", headers={"accept-encoding": "identity"}
        )
        refused = await client.get(
            f"{portal.url}/assets/app-3f2a.js", headers={"accept-encoding": "gzip;q=0, br"}
        )
        no_sibling = await client.get(
            f"{portal.url}/assets/app-3f2a.css", headers={"accept-encoding": "gzip"}
        )
    assert zipped.status_code == 200
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["content-type"] == "text/javascript; charset=utf-8"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert int(zipped.headers["content-length"]) < len(APP_JS)
    assert zipped.content == APP_JS  # httpx decoded it
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"
    assert plain.content == APP_JS
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert "content-encoding" not in refused.headers and refused.content == APP_JS
    assert "content-encoding" not in no_sibling.headers
    assert no_sibling.content == FILES["assets/app-3f2a.css"]
    revalidated = await get(
        portal.url,
        "/assets/app-3f2a.js",
        {"accept-encoding": "gzip", "if-none-match": zipped.headers["etag"]},
    )
    assert revalidated.status_code == 304
    assert revalidated.headers["vary"] == "Accept-Encoding"


@pytest.mark.parametrize(
    "path", ["/learner/dashboard", "/reviewer/cases/42", "/zh-CN/", "/assetsx"]
)
async def test_client_side_routes_for_browsers_fall_back_to_index_html(
    portal: Portal, path: str
) -> None:
    response = await get(portal.url, path, HTML)
    assert response.status_code == 200
    assert response.content == INDEX
    assert_strict_html(response)
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/assets/app-0000.js", "*/*"),
        ("/assets/app-0000.js", "text/html"),  # a missing asset is never index.html
        ("/assets/", "text/html"),
        ("/learner/dashboard", "application/json"),  # not a browser navigation
        ("/favicon.ico", "image/avif,image/webp,*/*"),
        ("/locales/", "application/json"),
    ],
)
async def test_a_missing_file_is_a_404_unless_a_browser_navigates(
    portal: Portal, path: str, accept: str
) -> None:
    response = await get(portal.url, path, {"accept": accept})
    assert response.status_code == 404
    assert INDEX not in response.content
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/graphql/anything",
        "/graphiql/not-a-graphiql-file.js",
        "/evidence/3b7c",
        "/me/export/extra",
        "/healthz/deep",
        "/metrics/x",
        "/auth/login",
        "/auth/refresh",
        "/readyz/x",
    ],
)
async def test_the_gateways_own_paths_never_fall_back_to_index_html(
    portal: Portal, path: str
) -> None:
    response = await get(portal.url, path, HTML)
    assert response.status_code in (404, 405), response.status_code
    assert INDEX not in response.content


async def test_the_gateways_own_routes_still_answer(portal: Portal) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        health = await client.get(f"{portal.url}/healthz", headers=HTML)
        api = await client.post(
            f"{portal.url}/graphql", json={"query": '{ person(id: "p1") { name } }'}
        )
        wrong_method = await client.post(f"{portal.url}/healthz")
        post_to_a_page = await client.post(f"{portal.url}/learner/dashboard", headers=HTML)
    assert health.json() == {"status": "alive"}
    assert api.status_code == 200 and "errors" not in api.json()
    assert wrong_method.status_code == 405
    assert post_to_a_page.status_code == 405
    assert post_to_a_page.headers["allow"] == "GET, HEAD"


async def test_graphiql_keeps_its_own_page_and_headers(portal: Portal) -> None:
    response = await get(portal.url, "/graphql", HTML)
    assert response.status_code == 200
    assert b"graphiql" in response.content and INDEX not in response.content
    # its inline script would be blocked by the portal's policy: the portal's is not on it
    assert "content-security-policy" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/assets/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%2e%2e%5csecret.txt",
        "/" + "../" * 12 + "etc/passwd",
        "/%2e%2e/" * 12 + "etc/passwd",
        "http://127.0.0.1/../secret.txt",
    ],
)
async def test_traversal_out_of_the_portal_is_refused(portal: Portal, target: str) -> None:
    for accept in ("text/html", "*/*"):
        response = await raw(portal.url, target, accept)
        assert response.status in (400, 404), (target, response.status)
        assert SECRET not in response.body
        assert b"root:" not in response.body


@pytest.mark.parametrize(
    "target", ["/etc/passwd", "//etc/passwd", "/%2fetc%2fpasswd", "//secret.txt"]
)
async def test_an_absolute_path_names_a_file_inside_the_portal(portal: Portal, target: str) -> None:
    response = await raw(portal.url, target, "*/*")
    assert response.status == 404
    assert b"root:" not in response.body
    navigation = await raw(portal.url, target, "text/html")
    assert navigation.body == INDEX  # a client-side route, nothing of the real /etc


@pytest.mark.parametrize(
    "path", ["/leak.txt", "/assets/leak-0000.js", "/escape/page.html", "/pipe", "/assets"]
)
async def test_only_regular_files_inside_the_portal_are_served(portal: Portal, path: str) -> None:
    response = await get(portal.url, path, {"accept": "*/*"})
    assert response.status_code == 404
    assert SECRET not in response.content


async def test_a_symlink_within_the_portal_is_followed(portal: Portal) -> None:
    response = await get(portal.url, "/inside.svg")
    assert response.status_code == 200
    assert response.content == FILES["favicon.svg"]
    assert response.headers["content-type"] == "image/svg+xml"


async def test_an_unbuilt_portal_gets_a_bilingual_note_and_graphiql_still_works(
    toys: ToySubgraphs, tmp_path: Path
) -> None:
    app = create_app(toys.supergraph, config=EdgeConfig(portal_dir=tmp_path / "no-such-dist"))
    async with serve_asgi(app) as url, httpx.AsyncClient(timeout=10) as client:
        page = await client.get(f"{url}/", headers=HTML)
        route = await client.get(f"{url}/learner/dashboard", headers=HTML)
        text = await client.get(f"{url}/", headers={"accept": "*/*"})
        graphiql = await client.get(f"{url}/graphql", headers=HTML)
        api = await client.get(f"{url}/graphql", params={"query": '{ person(id: "p1") { name } }'})
    for response in (page, route):
        assert response.status_code == 404
        assert_strict_html(response)
        assert "CB_PORTAL_DIR" in response.text
        assert "the web portal is not built" in response.text.lower()
        assert "网页门户尚未构建" in response.text
    assert text.status_code == 404
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert "no index.html in CB_PORTAL_DIR" in text.text and "网页门户尚未构建" in text.text
    assert graphiql.status_code == 200 and b"graphiql" in graphiql.content
    assert api.status_code == 200 and "errors" not in api.json()


def test_the_portal_directory_is_web_dist_unless_cb_portal_dir_says(
    stack: TestStack, tmp_path: Path
) -> None:
    assert Path(__file__).resolve().parents[2] / "web" / "dist" == DEFAULT_PORTAL_DIR
    keys = {"CB_JWT_PUBLIC_KEY_FILE": str(stack.jwks_file)}
    assert load_gateway_settings(keys).edge.portal_dir == DEFAULT_PORTAL_DIR
    chosen = load_gateway_settings(keys | {"CB_PORTAL_DIR": str(tmp_path / "dist")})
    assert chosen.edge.portal_dir == tmp_path / "dist"
