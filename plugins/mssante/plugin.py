"""Hook implementations of the mssante plugin."""

from __future__ import annotations

from urllib.parse import urlsplit

from aiguillage.plugin import (
    CertificateError,
    ConfigKey,
    Daemon,
    Delivered,
    Faults,
    Health,
    Item,
    PluginConfig,
    PluginInfo,
    __version__,
    certificate_keys,
    client_context,
    configured_credential,
    configured_trust,
    fault_keys,
    hookimpl,
    identity_config_keys,
    plugin_test_pki,
    probe_endpoint,
    service_health,
)

from .api import OPERATIONS
from .delivery import MESSAGE, RECEIPT, MailService, deliver_message
from .directory import Directory
from .directory_cli import register_commands  # noqa: F401 - a hook implementation
from .inbox import start_polling, stop_polling
from .mailstore import MailStore
from .simulator import SIMULATOR_PASSWORD, MssanteSimulator

DEFAULT_ADDRESS = "cabinet.test@medecin.mssante.fr"
MAX_MESSAGE_BYTES = 25 * 1024 * 1024


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="mssante",
        version=__version__,
        title="MSSanté: the secure health mail",
        api_prefixes=("mssante",),
        outbox_kinds=(MESSAGE, RECEIPT),
        config=(
            ConfigKey("timeout", "float", 10.0, "seconds before a call to the service gives up"),
            ConfigKey(
                "address", "str", DEFAULT_ADDRESS, "the practice's MSSanté address (the sender)"
            ),
            ConfigKey(
                "imap_endpoint",
                "str",
                "",
                "the operator's IMAP server, imap://host:143 (STARTTLS) or imaps://host:993; "
                "empty: the endpoint's host on port 143",
            ),
            ConfigKey("login", "str", "", "login for SMTP and IMAP (empty: the address)"),
            ConfigKey("password", "secret", None, "password for SMTP and IMAP"),
            *certificate_keys("auth_certificate", "client certificate for SMTP and IMAP"),
            ConfigKey(
                "server_ca",
                "str",
                "",
                "PEM bundle trusted for the operator's servers (empty: the system's trust store)",
            ),
            ConfigKey(
                "poll_interval",
                "float",
                60.0,
                "seconds between two looks at the inbox when the server cannot push (IDLE)",
            ),
            ConfigKey(
                "max_message_bytes",
                "int",
                MAX_MESSAGE_BYTES,
                "largest message sent or received, in bytes",
            ),
            ConfigKey(
                "lps_id",
                "str",
                "1.2.250.1.999.1",
                "the software's OID (the package's submission sourceId)",
            ),
            ConfigKey(
                "software_reference",
                "str",
                "",
                "the software's reference, sent as X-MSS-NIL (empty: not sent)",
            ),
            *fault_keys("answer 421 (service not available) to every connection"),
            *identity_config_keys(),
        ),
    )


@hookimpl
def register_operations(register, config: PluginConfig) -> None:
    for operation in OPERATIONS:
        register(operation)


@hookimpl
async def startup(daemon: Daemon, config: PluginConfig) -> None:
    config.state["store"] = store = MailStore(config.data_dir / "mail.db")
    config.state["directory"] = Directory(config.data_dir)
    try:
        service = mail_service(config)
    except CertificateError as exc:
        config.unavailable = str(exc)
        return
    config.service = service
    config.state["poller"] = start_polling(daemon, config, store)


@hookimpl
async def shutdown(config: PluginConfig) -> None:
    await stop_polling(config.state.pop("poller", None))
    for kept in ("store", "directory"):
        opened = config.state.pop(kept, None)
        if opened is not None:
            opened.close()


def mail_service(config: PluginConfig) -> MailService:
    """Where and how to reach the operator, from the config (and the simulator, if it runs)."""
    options = config.options
    credential = configured_credential(config, "auth_certificate", "structure-auth")
    if credential is None:
        raise CertificateError("[mssante] needs auth_certificate (operators require one)")
    config.credentials = {"auth_certificate": credential}
    if options["password"] is not None:
        password = options["password"].reveal()
    elif config.endpoint == "simulator":
        password = SIMULATOR_PASSWORD
    else:
        raise CertificateError("[mssante] needs password (the mailbox's, for SMTP and IMAP)")
    smtp_url = config.endpoint_url or ""
    return MailService(
        smtp_url=smtp_url,
        imap_url=imap_url(options["imap_endpoint"], config.state.get("imap_endpoint"), smtp_url),
        address=options["address"],
        login=options["login"] or options["address"],
        password=password,
        tls=client_context(credential, configured_trust(config)),
        timeout=options["timeout"],
    )


def imap_url(configured: str, simulator: str | None, smtp_url: str) -> str:
    """The configured IMAP URL, else the simulator's, else the SMTP host on port 143."""
    if configured:
        return configured
    if simulator:
        return simulator
    return f"imap://{urlsplit(smtp_url).hostname}:143"


@hookimpl
async def deliver(item: Item, config: PluginConfig) -> Delivered | None:
    if item.kind not in (MESSAGE, RECEIPT):
        return None
    return await deliver_message(item, config)


@hookimpl
async def health(config: PluginConfig) -> Health:
    """The SMTP server's reachability and the certificate's expiry, then the IMAP server's."""
    smtp = await service_health(config)
    if smtp.status == "down" or config.service is None:
        return smtp
    imap = await probe_endpoint(config.service.imap_url, wait=min(config.options["timeout"], 3.0))
    if imap.status == "down":
        return Health("down", f"IMAP {imap.detail} (SMTP {smtp.detail})")
    smtp.detail = f"SMTP {smtp.detail}; IMAP {imap.detail}"
    status = config.state.get("poller_status")
    if status is not None and not status.connected and status.last_error:
        # Reachable, yet the inbox is not being read (a refused login, say): mail waits.
        smtp.status = "degraded"
        smtp.detail += f"; inbox not read: {status.last_error}"
    return smtp


@hookimpl
def simulator(config: PluginConfig) -> MssanteSimulator:
    pki = plugin_test_pki(config.data_dir)
    return MssanteSimulator(
        server_p12=pki.p12("server"),
        password=pki.password,
        trust=pki.ca_bundle,
        maildirs=config.data_dir / "simulator-mail",
        state=config.state,
        extra_addresses=(config.options["address"],),
        max_message_bytes=config.options["max_message_bytes"],
        faults=Faults.from_options(config.options),
    )
