"""The VIHF (Vecteur d'Identification et d'Habilitation Formelles): the SAML assertion a DMP
call carries, saying who acts (the practitioner and their structure), for which patient, why,
and from which software. Version 3.0, as the DMP expects it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

from aiguillage.determinism import utc_now
from aiguillage.security.practitioner import Practitioner
from aiguillage.security.saml import Attribute, Signer, build_assertion

HL7 = "urn:hl7-org:v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROFESSION_SYSTEM = "1.2.250.1.71.1.2.7"  # G15
SPECIALTY_SYSTEM = "1.2.250.1.71.4.2.5"  # R01
SECTOR_SYSTEM = "1.2.250.1.71.4.2.4"  # R02
PURPOSE_SYSTEM = "1.2.250.1.213.1.1.4.248"
SMARTCARD = "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI"
TLS_CLIENT = "urn:oasis:names:tc:SAML:2.0:ac:classes:TLSClient"
PURPOSES = ("normal", "BRIS_DE_GLACE", "CENTRE_DE_REGULATION")
SUBJECT_ID = "urn:oasis:names:tc:xspa:1.0:subject:subject-id"


@dataclass(frozen=True)
class Software:
    """The LPS (the software acting): its ids as the DMP registered them."""

    lps_id: str
    name: str
    version: str
    dmp_homologation: str


def _ce(
    tag: str, code: str, system: str, display: str | None = None, system_name: str | None = None
) -> etree._Element:
    element = etree.Element(f"{{{HL7}}}{tag}", nsmap={None: HL7, "xsi": XSI})
    element.set("code", code)
    element.set("codeSystem", system)
    if system_name:
        element.set("codeSystemName", system_name)
    if display:
        element.set("displayName", display)
    element.set(f"{{{XSI}}}type", "CE")
    return element


def patient_id(ins: str, oid: str) -> str:
    """The patient as an HL7 CX: ``INS^^^&OID&ISO^NH``."""
    return f"{ins}^^^&{oid}&ISO^NH"


def vihf_attributes(
    practitioner: Practitioner,
    software: Software,
    *,
    ins: str,
    ins_oid: str,
    purpose: str = "normal",
) -> list[Attribute]:
    return [
        Attribute("Identifiant_Structure", (practitioner.structure_id,)),
        Attribute("Secteur_Activite", (f"{practitioner.activity_sector}^{SECTOR_SYSTEM}",)),
        # The user's name. The DMP needs it where no card identifies the user (INDIRECTE,
        # INDIRECTE_RENFORCEE); sent in every mode, so that no mode misses it.
        Attribute(SUBJECT_ID, (practitioner.display_name,)),
        Attribute(
            "urn:oasis:names:tc:xacml:2.0:subject:role",
            (
                _ce("Role", practitioner.profession_code, PROFESSION_SYSTEM),
                _ce("Role", practitioner.specialty_code, SPECIALTY_SYSTEM),
            ),
        ),
        Attribute("VIHF_Version", ("3.0",)),
        Attribute("Authentification_mode", (practitioner.authentication_mode,)),
        Attribute("urn:oasis:names:tc:xacml:2.0:resource:resource-id", (patient_id(ins, ins_oid),)),
        Attribute("Ressource_URN", ("urn:dmp",)),
        Attribute(
            "urn:oasis:names:tc:xspa:1.0:subject:purposeofuse",
            (_ce("PurposeOfUse", purpose, PURPOSE_SYSTEM, system_name="mode acces VIHF 2.0"),),
        ),
        Attribute("LPS_ID", (software.lps_id,)),
        Attribute("LPS_Nom", (software.name,)),
        Attribute("LPS_Version", (software.version,)),
        Attribute("LPS_ID_HOMOLOGATION_DMP", (software.dmp_homologation,)),
    ]


def build_vihf(
    signer: Signer,
    practitioner: Practitioner,
    software: Software,
    *,
    ins: str,
    ins_oid: str,
    purpose: str = "normal",
    validity: dt.timedelta = dt.timedelta(minutes=10),
) -> etree._Element:
    """A signed VIHF for one patient. Sign with the signature certificate, never the
    authentication one (the DMP answers DMPInvalidCertificate)."""
    if purpose not in PURPOSES:
        raise ValueError(f"purpose of use must be one of {', '.join(PURPOSES)}")
    assertion = build_assertion(
        issuer=signer.issuer,
        name_id=practitioner.national_id,
        attributes=vihf_attributes(
            practitioner, software, ins=ins, ins_oid=ins_oid, purpose=purpose
        ),
        now=utc_now(),
        validity=validity,
        authn_context=SMARTCARD if practitioner.authentication_mode == "DIRECTE" else TLS_CLIENT,
    )
    return signer.sign(assertion)
