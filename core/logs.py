"""Log set-up. Logs never carry patient data: the access log leaves out query strings (they can
hold an INS), and the journal, not the log, keeps what was exchanged."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from aiguillage.api import REQUEST_ID


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


class AccessLogger(AbstractAccessLogger):
    """One line per request: refusals and errors at INFO, successes at DEBUG (the journal, not
    the log, is where an admin reads what was exchanged)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        level = logging.INFO if response.status >= 400 else logging.DEBUG
        if not self.logger.isEnabledFor(level):
            return
        self.logger.log(
            level,
            "%s %s %s %.1fms request_id=%s",
            request.method,
            request.path,
            response.status,
            time * 1000,
            request.get(REQUEST_ID, "-"),
        )
