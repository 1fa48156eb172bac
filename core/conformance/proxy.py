"""The injecting proxy: stands on 127.0.0.1 in front of a real test platform (the CNDA's INSi
qualification endpoint, a DMP test platform) and forwards every call to it, unless an injected
response file is pending, which it answers instead (the CNDA package asks vendors to inject the
answers the platform cannot give). Each exchange is captured as it went on the wire.

The daemon talks plain HTTP to the proxy; the proxy talks to the platform over TLS with the
plugin's own client certificate, so the platform sees the same client as without it.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from http import HTTPStatus
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from aiguillage.simulators import Faults, Frame, inject_route, injection_from_query

#: Headers that belong to one hop, not to the message.
HOP_HEADERS = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-authorization",
    "proxy-authenticate",
    "host",
    "content-length",
}
MAX_BODY = 64 * 1024 * 1024


class InjectingProxy:
    def __init__(
        self,
        upstream: str,
        context: ssl.SSLContext | None,
        listener: Callable[[Frame], None] | None = None,
        timeout: float = 60.0,
    ) -> None:
        parts = urlsplit(upstream)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{upstream!r}: an http(s) URL is needed")
        self.upstream = upstream
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.path = parts.path
        self.context = context
        self.listener = listener
        self.timeout = timeout
        #: Only its injections are used: the proxy adds no latency and no errors of its own.
        self.faults = Faults()
        self.forwarded = 0
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.port = 0

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen; returns the URL to configure as the plugin's endpoint."""
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post("/_admin/inject", self._inject)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(ssl=self.context if self.context else False)
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return f"http://{host}:{self.port}{self.path}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    def inject_from(self, query: dict[str, str], body: bytes) -> None:
        """Queue an injection as ``POST /_admin/inject`` would (its query parameters)."""
        self.faults.inject(injection_from_query(query, body))

    async def _inject(self, request: web.Request) -> web.Response:
        return await inject_route(self.faults, request)

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        base = self.path.rstrip("/")
        if base and request.path != base and not request.path.startswith(base + "/"):
            # Only the endpoint's own paths: the proxy holds the structure's certificate, and
            # must not lend it to whatever else a local process asks the platform for.
            return web.Response(status=404, text=f"not under the endpoint's path {base}")
        body = await request.read()
        injected = self.faults.injected(request.path)
        if injected is not None:
            self._record(request, body, injected.status, injected.headers, injected.body)
            return injected
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        try:
            async with self._session.request(
                request.method,
                self.origin + request.path_qs,
                data=body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                allow_redirects=False,
            ) as reply:
                answer = await reply.read()
                status = reply.status
                back = {k: v for k, v in reply.headers.items() if k.lower() not in HOP_HEADERS}
        except (aiohttp.ClientError, TimeoutError) as exc:
            # As a gateway answers: the daemon sees an unreachable service, as it would without
            # the proxy.
            return web.Response(status=502, text=f"upstream unreachable: {exc}")
        self.forwarded += 1
        back.pop("Content-Encoding", None)  # aiohttp decoded it
        response = web.Response(status=status, body=answer, headers=back)
        self._record(request, body, status, response.headers, answer)
        return response

    def _record(
        self, request: web.Request, body: bytes, status: int, headers: object, answer: bytes
    ) -> None:
        if self.listener is None:
            return
        version = f"HTTP/{request.version.major}.{request.version.minor}"
        head = [f"{request.method} {request.path_qs} {version}".encode()]
        head += [name + b": " + value for name, value in request.raw_headers]
        # The status line and length as the simulators' frames have them (aiohttp adds both
        # when it sends, after this).
        reply = [f"{version} {status} {_reason(status)}".encode()]
        reply += [f"{k}: {v}".encode() for k, v in headers.items()]  # type: ignore[attr-defined]
        if "Content-Length" not in headers:  # type: ignore[operator]
            reply.append(f"Content-Length: {len(answer)}".encode())
        self.listener(
            Frame(
                time=time.time(),
                port=self.port,
                method=request.method,
                path=request.path,
                request_head=b"\r\n".join(head) + b"\r\n\r\n",
                request_body=body,
                status=status,
                response_head=b"\r\n".join(reply) + b"\r\n\r\n",
                response_body=answer,
            )
        )


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status the platform made up
        return ""
