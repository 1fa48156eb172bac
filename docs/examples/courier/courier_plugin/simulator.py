"""The courier service's simulator: the same protocol on 127.0.0.1, over TLS with client
certificates, its constants written from the specification (not imported from the client)."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

from aiohttp import web

from aiguillage.plugin import Faults, serve_tls

HOURS = {"open": True, "hours": "Mon-Fri 08:00-18:00"}


class CourierSimulator:
    def __init__(self, server_p12: Path, password: str, trust: Path, faults: Faults) -> None:
        self.server_p12, self.password, self.trust = server_p12, password, trust
        self.faults = faults
        self.letters: dict[str, dict] = {}
        #: Every PUT by letter id: a test sees a letter delivered twice.
        self.puts: Counter[str] = Counter()
        self.runner: web.AppRunner | None = None

    async def start(self, host: str) -> str:
        app = web.Application()
        app.router.add_get("/hours", self.hours)
        app.router.add_put("/letters/{id}", self.letter)
        app.router.add_post("/_admin/faults", self.set_faults)
        self.runner, port = await serve_tls(
            app, host, 0, self.server_p12, self.password, self.trust
        )
        return f"https://{host}:{port}"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    async def set_faults(self, request: web.Request) -> web.Response:
        self.faults.update(await request.json())
        return web.json_response(self.faults.state())

    async def hours(self, request: web.Request) -> web.Response:
        return await self.faults.disturb() or web.json_response(HOURS)

    async def letter(self, request: web.Request) -> web.Response:
        disturbed = await self.faults.disturb()
        if disturbed is not None:
            return disturbed
        if self.faults.outage:
            return web.Response(status=503, text="courier closed")
        letter_id = request.match_info["id"]
        self.puts[letter_id] += 1
        body = await request.json()
        if not isinstance(body, dict) or not body.get("to") or not body.get("text"):
            return web.Response(status=400, text="to and text are required")
        if letter_id in self.letters:
            return web.Response(status=409, text="letter already received")
        self.letters[letter_id] = body
        return web.json_response({"receipt": str(uuid.uuid4())}, status=201)
