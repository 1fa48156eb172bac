"""The simulator checks what INSi checks: raw SOAP envelopes, broken one way at a time."""

from __future__ import annotations

import ssl

import aiohttp
import pytest
from lxml import etree

from aiguillage.appkeys import SETTINGS
from aiguillage.plugins.insi.client import (
    CONTENT_TYPE,
    CTXBAM,
    CTXLPS,
    SOAP12,
    TRAITS_OPERATION,
    WSA,
    parse_fault,
)

from .conftest import simulator_url, tls

BODY = {"NomNaissance": "ADRUN", "Prenom": ["ZOE"], "Sexe": "F", "DateNaissance": "1975-12-31"}


def envelope(client) -> etree._Element:
    insi = client.app[SETTINGS].plugins["insi"].service
    return etree.fromstring(
        insi.envelope(TRAITS_OPERATION, BODY, client.app[SETTINGS].practitioner)
    )


async def post(client, pki, data: bytes, content_type: str = CONTENT_TYPE, cert="structure-auth"):
    async with aiohttp.ClientSession() as session:
        async with session.post(
            simulator_url(client),
            data=data,
            ssl=tls(pki, cert),
            headers={"Content-Type": content_type},
        ) as r:
            return r.status, await r.read()


def fault_of(data: bytes):
    root = etree.fromstring(data)
    return parse_fault(root.find(f"{{{SOAP12}}}Body/{{{SOAP12}}}Fault"))


async def test_a_valid_envelope_is_answered(insi, pki):
    status, data = await post(insi, pki, etree.tostring(envelope(insi)))
    assert status == 200 and b"<CodeCR>00</CodeCR>" in data


def drop(name: str, ns: str):
    def change(env):
        header = env.find(f"{{{SOAP12}}}Header")
        header.remove(header.find(f"{{{ns}}}{name}"))

    return change


def set_attr(name: str, ns: str, value: str):
    def change(env):
        env.find(f".//{{{ns}}}{name}").set("Version", value)

    return change


def set_text(path: str, value: str):
    def change(env):
        env.find(path).text = value

    return change


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (drop("ContexteBAM", CTXBAM), "desir_500", "ContexteBAM absent"),
        (drop("ContexteLPS", CTXLPS), "desir_500", "ContexteLPS absent"),
        (drop("MessageID", WSA), "desir_500", "MessageID absent"),
        (set_attr("ContexteBAM", CTXBAM, "01_01"), "desir_500", "01_01"),
        (set_attr("ContexteLPS", CTXLPS, "02_00"), "desir_500", "02_00"),
        (
            set_text(
                f".//{{{WSA}}}Action",
                "urn:ServiceIdentiteCertifiee:1.0.0:rechercherInsAvecCarteVitale",
            ),
            "desir_500",
            "incohérents",
        ),
        (set_text(f".//{{{CTXLPS}}}IDAM", "PIRATE"), "desir_550", "IDAM"),
        (set_text(f".//{{{CTXBAM}}}Temps", "yesterday"), "desir_500", "ContexteBAM"),
        (
            set_text(".//{urn:oasis:names:tc:SAML:2.0:assertion}NameID", "111111111111"),
            "desir_510",
            "signature",
        ),
    ],
)
async def test_each_check_answers_its_fault(insi, pki, change, code, words):
    env = envelope(insi)
    change(env)
    status, data = await post(insi, pki, etree.tostring(env))
    assert status == 400
    fault = fault_of(data)
    assert fault.code == code and words in fault.message


async def test_body_outside_the_schema(insi, pki):
    env = envelope(insi)
    body = env.find(f"{{{SOAP12}}}Body")[0]
    etree.SubElement(body, "{http://www.cnamts.fr/INSiRecSans}Surnom").text = "ZOZO"
    status, data = await post(insi, pki, etree.tostring(env))
    assert status == 400 and fault_of(data).code == "desir_520"


async def test_not_soap_12(insi, pki):
    status, _ = await post(insi, pki, etree.tostring(envelope(insi)), content_type="text/xml")
    assert status == 415


async def test_doctype_refused(insi, pki):
    data = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + etree.tostring(envelope(insi))
    )
    status, answer = await post(insi, pki, data)
    assert status == 400 and b"passwd" not in answer and b"root:" not in answer


async def test_no_client_certificate_no_connection(insi, pki):
    anonymous = ssl.create_default_context(cafile=str(pki.ca_bundle))
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientError):
            async with session.post(simulator_url(insi), data=b"x", ssl=anonymous):
                pass
