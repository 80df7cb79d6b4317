"""GraphiQL for browsers at GET /graphql, every file served by the gateway itself from
the npm packages `make node-deps` installs (graphiql, react, react-dom): no CDN."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

NODE_MODULES = Path(__file__).resolve().parents[1] / "node_modules"
ASSET_PREFIX = "/graphiql"
ASSETS = {
    "react.production.min.js": "react/umd/react.production.min.js",
    "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
    "graphiql.min.js": "graphiql/graphiql.min.js",
    "graphiql.min.css": "graphiql/graphiql.min.css",
}
PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Credit Bank GraphQL</title>
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
  <link rel="stylesheet" href="{prefix}/graphiql.min.css">
  <script src="{prefix}/react.production.min.js"></script>
  <script src="{prefix}/react-dom.production.min.js"></script>
  <script src="{prefix}/graphiql.min.js"></script>
</head>
<body>
  <div id="graphiql">Loading GraphiQL...</div>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultQuery: "# Sign in with the login mutation, then put\\n"
          + "# {\\"Authorization\\": \\"Bearer <token>\\"} in the headers tab.\\n"
          + "{ majors { code name courses { code name credits } } }\\n",
        isHeadersEditorEnabled: true,
      })
    );
  </script>
</body>
</html>
"""


def wants_graphiql(request: Request) -> bool:
    """A browser opening /graphql: GET, HTML accepted, no query in the URL."""
    return (
        request.method == "GET"
        and "query" not in request.query_params
        and "extensions" not in request.query_params
        and "text/html" in request.headers.get("accept", "")
    )


def page() -> Response:
    return HTMLResponse(
        PAGE.replace("{prefix}", ASSET_PREFIX),
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    relative = ASSETS.get(name)
    if relative is None:
        return PlainTextResponse("no such GraphiQL file", status_code=404)
    path = NODE_MODULES / relative
    if not path.is_file():
        return PlainTextResponse(
            f"{relative} is not installed: run `make node-deps` (npm ci --prefix gateway)",
            status_code=404,
        )
    media_type = "text/css" if name.endswith(".css") else "text/javascript"
    return FileResponse(
        path, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"}
    )
