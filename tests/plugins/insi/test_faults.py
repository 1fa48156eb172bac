"""INSi failures: faults of the service, outages, timeouts, refused credentials — each one a
documented problem, retried only when a retry can help, and journaled."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from aiguillage.appkeys import JOURNAL, SETTINGS
from aiguillage.journal import JournalFilter, select
from aiguillage.security.testpki import make_test_pki

from .conftest import admin
from .test_search import traits
from conftest import xmlsec1_verify

PROBLEM = "application/problem+json"


async def problem(client, body, status):
    response = await client.post("/v1/ins/search", json=body)
    assert response.status == status, await response.text()
    assert response.content_type == PROBLEM
    return await response.json(content_type=PROBLEM)


def rows(client):
    return list(select(client.app[JOURNAL].reader, JournalFilter(event="ins.search", limit=None)))


async def test_platform_fault_after_bounded_retries(insi):
    # LEONARDO alone finds nobody born that day (CR 01); the second call, with every first
    # name, meets the fault the CNDA platform answers.
    body = traits("DE VINCI", ["LEONARDO", "DICAPRIO", "BUFFALO"], "M", "1960-01-01")
    p = await problem(insi, body, 503)
    assert p["service"] == "insi" and p["service_code"] == "desir_1020"
    assert p["service_subcode"] == "siram_40" and p["severity"] == "fatale"
    assert "after 3 tries" in p["detail"]
    outcomes = [r["outcome"] for r in reversed(rows(insi))]
    assert outcomes == ["cr01", "desir_1020", "desir_1020", "desir_1020"]  # 1 try + 2 retries


async def test_insi_102(insi):
    p = await problem(insi, traits("D'AEION", ["COEUR"], "F", "1970-01-01"), 503)
    assert p["service_code"] == "insi_102"


async def test_outage_then_recovery(insi, pki):
    await admin(insi, pki, "faults", json={"outage": True})
    p = await problem(insi, traits("ADRUN", ["ZOE"], "F", "1975-12-31"), 503)
    assert p["service_code"] == "insi_102" and p["type"].endswith("insi-fault")
    await admin(insi, pki, "faults", json={"outage": False})
    ok = await insi.post("/v1/ins/search", json=traits("ADRUN", ["ZOE"], "F", "1975-12-31"))
    assert ok.status == 200


async def test_http_503_without_soap_is_unavailable(insi, pki):
    await admin(insi, pki, "faults", json={"error_rate": 1.0})
    p = await problem(insi, traits("ADRUN", ["ZOE"], "F", "1975-12-31"), 503)
    assert p["type"].endswith("insi-unavailable") and "after 3 tries" in p["detail"]


@pytest.mark.insi(timeout=0.2, retries=1)
async def test_timeout(insi, pki):
    await admin(insi, pki, "faults", json={"latency_ms": 500})
    p = await problem(insi, traits("ADRUN", ["ZOE"], "F", "1975-12-31"), 504)
    assert p["type"].endswith("insi-timeout")
    assert [r["outcome"] for r in rows(insi)] == ["InsiTimeout", "InsiTimeout"]


async def test_functional_fault_is_not_retried(insi, pki):
    await admin(
        insi,
        pki,
        "faults",
        json={
            "queue": [{"subcode": "siram_100", "code": "insi_101", "message": "Identité inconnue"}]
        },
    )
    p = await problem(insi, traits("ADRUN", ["ZOE"], "F", "1975-12-31"), 404)
    assert p["service_code"] == "insi_101" and p["detail"] == "Identité inconnue"
    assert len(rows(insi)) == 1


@pytest.mark.insi(idam="UNKNOWN-SOFTWARE")
async def test_unknown_idam(insi):
    p = await problem(insi, traits("ADRUN", ["ZOE"], "F", "1975-12-31"), 502)
    assert (p["service_subcode"], p["service_code"]) == ("siram_100", "desir_550")


@pytest.mark.insi(mode="machine")
async def test_machine_mode_with_insi_auto(insi):
    ok = await insi.post("/v1/ins/search", json=traits("ADRUN", ["ZOE"], "F", "1975-12-31"))
    assert ok.status == 200
    (row,) = rows(insi)
    assert "Security" not in row["request"]


def use_certificate(settings, pki_dir: Path, key: str, name: str, password: str) -> None:
    options = settings.plugins["insi"].options
    options[key] = str(pki_dir / f"{name}.p12")
    from aiguillage.config import Secret

    options[f"{key}_password"] = Secret(password, "test")


async def test_machine_mode_with_another_certificate_is_refused(
    aiohttp_client, insi_settings, plugins, token, pki
):
    from aiguillage.app import create_app

    insi_settings.plugins["insi"].options["mode"] = "machine"
    use_certificate(
        insi_settings, pki.directory, "auth_certificate", "structure-auth", pki.password
    )
    client = await aiohttp_client(create_app(insi_settings, plugins))
    response = await client.post(
        "/v1/ins/search",
        json=traits("ADRUN", ["ZOE"], "F", "1975-12-31"),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status == 502
    p = await response.json(content_type=PROBLEM)
    assert p["service_code"] == "desir_560" and "CN=CABINET TEST" in p["detail"]


async def test_assertion_signed_outside_the_trusted_chain_is_refused(
    aiohttp_client, insi_settings, plugins, token, tmp_path
):
    from aiguillage.app import create_app

    other = make_test_pki(tmp_path / "other-pki")
    use_certificate(
        insi_settings,
        other.directory,
        "signature_certificate",
        "practitioner-signature",
        other.password,
    )
    client = await aiohttp_client(create_app(insi_settings, plugins))
    response = await client.post(
        "/v1/ins/search",
        json=traits("ADRUN", ["ZOE"], "F", "1975-12-31"),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status == 502
    p = await response.json(content_type=PROBLEM)
    assert p["service_code"] == "desir_510" and "signature" in p["detail"]


async def test_assertion_verifies_with_xmlsec1(insi, pki, tmp_path):
    from lxml import etree

    await insi.post("/v1/ins/search", json=traits("ADRUN", ["ZOE"], "F", "1975-12-31"))
    envelope = etree.fromstring(rows(insi)[0]["request"].encode())
    assertion = envelope.find(".//{urn:oasis:names:tc:SAML:2.0:assertion}Assertion")
    path = tmp_path / "assertion.xml"
    path.write_bytes(etree.tostring(assertion))
    result = await asyncio.to_thread(xmlsec1_verify, path, pki.ca_bundle)
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout + result.stderr
    # The same check fails once the assertion is touched.
    path.write_bytes(etree.tostring(assertion).replace(b"899900063480", b"899900063481"))
    tampered = await asyncio.to_thread(xmlsec1_verify, path, pki.ca_bundle)
    assert tampered.returncode != 0


async def test_assertion_is_reused_within_its_validity(insi):
    for _ in range(3):
        await insi.post("/v1/ins/search", json=traits("ADRUN", ["ZOE"], "F", "1975-12-31"))
    ids = {
        r["request"].split("saml2:Assertion")[1].split('ID="')[1].split('"')[0] for r in rows(insi)
    }
    assert len(ids) == 1


async def test_health_reports_the_simulator_and_certificate(insi):
    body = await (await insi.get("/v1/health")).json()
    insi_health = body["plugins"]["insi"]
    assert insi_health["status"] == "up"
    assert insi_health["extra"]["auth_certificate_days_left"] > 1000
    assert insi_health["extra"]["signature_certificate_days_left"] > 1000
    assert insi.app[SETTINGS].plugins["insi"].endpoint_url.startswith("https://127.0.0.1:")


def test_expiring_certificate_degrades_health(tmp_path):
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    from aiguillage.hookspecs import Health
    from aiguillage.security.credentials import Credential, note_expiry

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "INSI-AUTO")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=300))
        .not_valid_after(now + dt.timedelta(days=12, hours=1))
        .sign(key, hashes.SHA256())
    )
    health = note_expiry(
        Health("up", "reachable"),
        {"auth_certificate": Credential(key, cert), "signature_certificate": None},
    )
    assert health.status == "degraded"
    assert health.extra == {"auth_certificate_days_left": 12}
    assert "auth_certificate expires in 12 days" in health.detail
