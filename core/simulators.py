"""What the simulators share: serving their protocol on 127.0.0.1 over TLS, with client
certificates required, as the national services do."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from aiguillage.security.credentials import load_credential, server_context


async def serve_tls(
    app: web.Application, host: str, port: int, server_p12: Path, password: str, client_trust: Path
) -> tuple[web.AppRunner, int]:
    """Start ``app`` on ``host:port`` (0: a free port); returns its runner and the port."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    credential = load_credential(server_p12, password)
    site = web.TCPSite(runner, host, port, ssl_context=server_context(credential, client_trust))
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # port 0: the kernel chose
