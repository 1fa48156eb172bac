from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aiguillage.app import create_app
from aiguillage.clients import ClientStore
from aiguillage.config import Settings, load_settings
from aiguillage.plugin_manager import Plugins, load_plugins
from aiguillage.security.testpki import make_test_pki

ROOT = Path(__file__).resolve().parent.parent
# The public specification files (official examples, the ANS schematron validator) sit beside the
# project, not in it: see beside().
BESIDE = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).parent))

import echo_plugin  # noqa: E402

#: The plugins of this project. Only these load in the tests (``AIGUILLAGE_PLUGINS``): a plugin
#: installed on the machine must not change what the suite sees.
BUILT_IN_PLUGINS = ("insi", "dmp", "mssante", "apcv", "jfse", "insee", "gs1")


@pytest.fixture(autouse=True)
def _no_ambient_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIGUILLAGE_CONFIG", raising=False)
    monkeypatch.delenv("AIGUILLAGE_EXTRA_PLUGINS", raising=False)
    monkeypatch.setenv("AIGUILLAGE_PLUGINS", ",".join(BUILT_IN_PLUGINS))


@pytest.fixture
def plugins() -> Plugins:
    return load_plugins(extra=[echo_plugin])


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    """One test PKI for the session: making RSA keys takes a while."""
    return make_test_pki(tmp_path_factory.mktemp("pki"))


def give_test_pki(data_dir: Path, pki) -> None:
    """Put the session's test PKI where the plugins would otherwise make their own."""
    for plugin in BUILT_IN_PLUGINS:
        shutil.copytree(pki.directory, data_dir / "plugins" / plugin / "test-pki")


@pytest.fixture
def settings(tmp_path: Path, plugins: Plugins, pki) -> Settings:
    settings = load_settings(None, plugins.infos)
    settings.daemon.data_dir = tmp_path / "data"
    give_test_pki(settings.daemon.data_dir, pki)
    return settings


@pytest.fixture
def store(settings: Settings):
    store = ClientStore(settings.daemon.data_dir)
    yield store
    store.close()


@pytest.fixture
def token(store: ClientStore) -> str:
    return store.add("ehr", ["*"])[1]


@pytest.fixture
async def client(aiohttp_client, settings: Settings, plugins: Plugins, token: str):
    """A test client on a real socket, authenticated as an app with every scope."""
    app = create_app(settings, plugins, validate_responses=True)
    client = await aiohttp_client(app)
    client.session.headers["Authorization"] = f"Bearer {token}"
    return client


def run_cli(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    env = dict(env or {})
    # Added to, not replacing, the tests' own: the mutation check imports its copy through it.
    if "PYTHONPATH" in env and os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] += os.pathsep + os.environ["PYTHONPATH"]
    return subprocess.run(
        [sys.executable, "-m", "aiguillage", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, **env},
        **kwargs,
    )


from aiguillage.config import OutboxPolicy  # noqa: E402

import relay_plugin  # noqa: E402
from receiver import Receiver  # noqa: E402

FAST_POLICY = OutboxPolicy(
    initial_delay=0.05,
    factor=2.0,
    max_delay=0.2,
    max_attempts=5,
    concurrency=4,
    attempt_timeout=2.0,
    breaker_threshold=3,
    breaker_cooldown=0.3,
)


@pytest.fixture
async def receiver(aiohttp_server):
    receiver = Receiver()
    receiver.server = await aiohttp_server(receiver.app())
    return receiver


@pytest.fixture
def relay_settings(tmp_path: Path, receiver, request, pki) -> Settings:
    """``@pytest.mark.policy(**fields)`` changes the relay's outbox policy for one test."""
    plugins = load_plugins(extra=[echo_plugin, relay_plugin])
    settings = load_settings(None, plugins.infos)
    settings.daemon.data_dir = tmp_path / "data"
    give_test_pki(settings.daemon.data_dir, pki)
    settings.plugins["relay"].endpoint = f"http://127.0.0.1:{receiver.server.port}"
    marker = request.node.get_closest_marker("policy")
    policy = OutboxPolicy(**{**FAST_POLICY.__dict__, **marker.kwargs}) if marker else FAST_POLICY
    settings.outbox.policies["relay"] = policy
    settings.plugins_loaded = plugins  # type: ignore[attr-defined]
    return settings


@pytest.fixture
async def relay(aiohttp_client, relay_settings: Settings):
    """A daemon app with the relay plugin delivering to ``receiver``, and a token with every
    scope."""
    store = ClientStore(relay_settings.daemon.data_dir)
    token = store.add("ehr", ["*"])[1]
    store.close()
    app = create_app(relay_settings, relay_settings.plugins_loaded, validate_responses=True)
    client = await aiohttp_client(app)
    client.session.headers["Authorization"] = f"Bearer {token}"
    return client


def beside(relative: str) -> Path:
    """A public specification file or tool kept beside the project (``specs/insi/examples``,
    ``tools/ans-cda-validate``…). Where it is absent, as in a bare clone, the calling test is
    skipped and says what it needed; in CI (``CI`` set), where they are always there, it
    fails instead, so that a missing file can never turn checks into skips."""
    path = BESIDE / relative
    if not path.exists():
        message = f"{relative} is not beside the project (the public specification files)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


#: The oldest Node.js the example clients' npm tools run on (the Redocly CLI's floor).
NODE_FLOOR = (20, 19)


def needs_node() -> None:
    """Node.js and npm for the example clients' tools (``.ci/run`` installs them); without them
    the calling test is skipped, except with ``CI`` set, where it fails."""
    node, npm = shutil.which("node"), shutil.which("npm")
    version = ""
    if node:
        version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    found = tuple(int(p) for p in version.strip().lstrip("v").split(".")[:2] if p.isdigit())
    if npm and found >= NODE_FLOOR:
        return
    message = (
        f"Node.js {'.'.join(map(str, NODE_FLOOR))} or later and npm are needed "
        f"(found node {version.strip() or 'none'}, npm {'yes' if npm else 'none'}); "
        ".ci/run installs them"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def xmlsec1_verify(path: Path, trusted: Path) -> subprocess.CompletedProcess:
    """Check a signed SAML assertion with xmlsec1, a second XML-DSig implementation (Debian
    package xmlsec1, which .ci/run installs; without it the calling test is skipped, except
    in CI where it fails)."""
    xmlsec1 = shutil.which("xmlsec1")
    if xmlsec1 is None:
        if os.environ.get("CI"):
            pytest.fail("xmlsec1 is missing: .ci/run installs the Debian package xmlsec1")
        pytest.skip("xmlsec1 not installed (Debian package xmlsec1)")
    return subprocess.run(
        [
            xmlsec1,
            "--verify",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            "--trusted-pem",
            str(trusted),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
