"""The practice console: a web page served at /console/ for the practice admin.

Static files only (no build step, nothing from a CDN): they hold no data, so they need no token;
the page calls the ``/v1`` API with the admin token it holds in its tab. Every answer carries a
strict Content-Security-Policy (no inline script, nothing from another origin, never framed).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

from aiohttp import web

from aiguillage.problems import Problem

#: No inline script or style, no other origin, no plugin, never in a frame; ``blob:`` images
#: for the sent documents the page opens.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    # Revalidated each time (the ETag makes it cheap): an upgraded daemon serves its own page.
    "Cache-Control": "no-cache",
}
_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    content_type: str
    etag: str


def static_files() -> dict[str, StaticFile]:
    """The console's files by name (``index.html``…), read once from the package."""
    files = {}
    for entry in resources.files(__name__).joinpath("static").iterdir():
        kind = _TYPES.get("." + entry.name.rpartition(".")[2])
        if kind is None or not entry.is_file():
            continue
        body = entry.read_bytes()
        files[entry.name] = StaticFile(body, kind, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
    return files


def _public(handler):
    # The guard lets these through without a token: static files that hold no data.
    handler.public = True
    return handler


def add_routes(app: web.Application) -> None:
    """Serve the console at ``/console/`` (``/console`` redirects there)."""
    files = static_files()

    @_public
    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPPermanentRedirect("/console/")

    @_public
    async def serve(request: web.Request) -> web.StreamResponse:
        name = request.match_info.get("name") or "index.html"
        found = files.get(name)
        if found is None:
            raise Problem(404, "not-found", "Not found", f"The console has no file {name!r}.")
        headers = {**SECURITY_HEADERS, "ETag": found.etag}
        if request.headers.get("If-None-Match") == found.etag:
            return web.Response(status=304, headers=headers)
        return web.Response(
            body=found.body, content_type=found.content_type, charset="utf-8", headers=headers
        )

    app.router.add_get("/console", redirect)
    app.router.add_get("/console/", serve)
    app.router.add_get("/console/{name:[A-Za-z0-9_-]+\\.[a-z]+}", serve)
