"""GET /.well-known/did.json: the issuer's DID document (did:web of CB_PUBLIC_URL) listing
every credential key, current and previous, as Multikey, so that anyone resolves the key
a credential's proof names (cbkit/vc/issuer.py). Public, no token; cached for a while."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from cbkit.vc.issuer import IssuerKeys
from gateway.edge.metrics import Handler

PATH = "/.well-known/did.json"
MEDIA_TYPE = "application/did+json"
CACHE_SECONDS = 300


def did_document(issuer: IssuerKeys) -> Handler:
    body = json.dumps(issuer.document(), ensure_ascii=False, indent=2).encode()

    async def endpoint(_request: Request) -> Response:
        return Response(
            body,
            media_type=MEDIA_TYPE,
            headers={
                "Cache-Control": f"public, max-age={CACHE_SECONDS}",
                "Access-Control-Allow-Origin": "*",
            },
        )

    return endpoint
