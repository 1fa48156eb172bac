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
            route_of(request),
            response.status,
            time * 1000,
            request.get(REQUEST_ID, "-"),
        )


def route_of(request: web.BaseRequest) -> str:
    """The route's pattern, e.g. ``/v1/dmp/patients/{ins}``: paths can hold an INS, and logs
    never carry patient data."""
    match_info = getattr(request, "match_info", None)
    resource = match_info.route.resource if match_info is not None and match_info.route else None
    return resource.canonical if resource is not None else "(no route)"
