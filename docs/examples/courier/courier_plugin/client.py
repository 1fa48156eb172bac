"""The courier service's protocol, as its (made-up) specification states it:

- ``GET /hours`` answers ``{"open": bool, "hours": str}``;
- ``PUT /letters/{id}`` with ``{"to": str, "text": str}`` answers 201 and ``{"receipt": str}``
  for a new letter, 409 for an id it already has, 503 when it is down.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp

from aiguillage.plugin import Delivered, DeliveryError


class CourierError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class CourierClient:
    base_url: str
    session: aiohttp.ClientSession
    timeout: float

    async def hours(self) -> tuple[dict, bytes]:
        """The service's answer, and its raw bytes for the journal; :class:`CourierError` when
        it cannot give them."""
        try:
            async with self.session.get(f"{self.base_url}/hours", timeout=self._timeout()) as r:
                raw = await r.read()
                if r.status != 200:
                    raise CourierError(f"http-{r.status}", raw.decode(errors="replace")[:200])
                return await r.json(), raw
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise CourierError("unreachable", str(exc) or type(exc).__name__) from None

    async def post_letter(self, letter_id: str, to: str, text: str) -> Delivered:
        url, letter = f"{self.base_url}/letters/{letter_id}", {"to": to, "text": text}
        async with self.session.put(url, json=letter, timeout=self._timeout()) as r:
            if r.status == 201:
                return Delivered({"receipt": (await r.json())["receipt"]})
            if r.status == 409:  # a try before a crash reached it
                return Delivered(already_present=True)
            message = (await r.text())[:200]
            raise DeliveryError(f"http-{r.status}", message, transient=r.status >= 500)

    def _timeout(self) -> aiohttp.ClientTimeout:
        return aiohttp.ClientTimeout(total=self.timeout)
