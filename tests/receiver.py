"""A local HTTP receiver for outbox tests: stores messages by id (a second copy of an id is
answered 409, as a real service says "already there"), and can be slow, fail or reject."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter

from aiohttp import web


class Receiver:
    def __init__(self) -> None:
        self.stored: dict[str, dict] = {}
        self.posts: Counter[str] = Counter()  # every POST per id, duplicates included
        #: POSTs whose sender went away before they were answered (a daemon killed mid-send):
        #: aiohttp cancels their handler, so they never stored anything.
        self.cut: Counter[str] = Counter()
        self.latency = 0.0
        self.fail_with: int | None = None  # answer this status to everything
        self.reject_texts: set[str] = set()  # answer 422 to these texts
        self._receipts = itertools.count(1)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/messages", self.receive)
        return app

    async def receive(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.posts[body["id"]] += 1
        if self.latency:
            try:
                await asyncio.sleep(self.latency)
            except asyncio.CancelledError:
                self.cut[body["id"]] += 1
                raise
        if self.fail_with:
            return web.Response(status=self.fail_with, text="service unavailable")
        if body["text"] in self.reject_texts:
            return web.Response(status=422, text=f"text {body['text']!r} refused")
        if body["id"] in self.stored:
            return web.Response(status=409, text="already have it")
        self.stored[body["id"]] = body
        return web.json_response({"receipt": next(self._receipts)}, status=201)
