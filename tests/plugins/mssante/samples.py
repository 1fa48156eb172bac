"""Test data shared by the MSSanté message, package, receipt and biology tests: the sending
practitioner, the patient of the ANS CR-BIO examples, a PDF, messages and packages."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile

from aiguillage.plugin import Practitioner, ihe
from aiguillage.plugins.mssante import message, xdm

from conftest import beside

PRACTITIONER = Practitioner(
    "10000001234",
    family_name="MEDECIN",
    given_name="ANNE",
    structure_id="1000000123",
    structure_name="Cabinet du Parc",
)
SENDER = "cabinet.test@medecin.mssante.fr"
RECIPIENT = "dr.martin@hopital-a.mssante.fr"
#: The patient of the three ANS CR-BIO examples (INS-NIR de test).
PAT_TROIS = ihe.patient_of(
    {
        "ins": {"matricule": "279035121518989", "oid": "1.2.250.1.213.1.4.10"},
        "traits": {
            "birth_name": "PAT-TROIS",
            "first_names": ["DOMINIQUE", "MARIE-LOUISE"],
            "sex": "F",
            "birth_date": "1979-03-28",
            "birth_place": "51215",
        },
    }
)
RUTH = ihe.patient_of(
    {
        "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
        "traits": {
            "birth_name": "NESSI",
            "first_names": ["RUTH", "ISABELLE"],
            "sex": "F",
            "birth_date": "1977-07-14",
            "birth_place": "63220",
        },
    }
)
DATE = dt.datetime(2024, 2, 20, 10, 30, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))

#: A small but well-formed PDF (one empty page).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

CR_BIO = {
    "tsh": "BIO-CR-BIO_2024.01_TSH_1.xml",
    "electrophorese": "BIO-CR-BIO_2024.01_Electrophorese.xml",
    "microbiologie": "BIO-CR-BIO_2024.01_Microbiologie_V1.xml",
}


def example(name: str) -> bytes:
    """An ANS CDA example (``specs/cda/examples``), by file name or CR-BIO nickname."""
    return beside(f"specs/cda/examples/{CR_BIO.get(name, name)}").read_bytes()


def outgoing(**changes) -> message.Outgoing:
    """A message with a PDF for RUTH NESSI, receipt asked; ``changes`` override fields."""
    fields = {
        "message_id": "<20240220103015.1a2b3c@cabinet.test>",
        "sender": SENDER,
        "to": [RECIPIENT],
        "cc": [],
        "patient": RUTH,
        "subject_label": "Compte rendu de consultation",
        "body_text": "Bonjour,\nveuillez trouver le compte rendu de Mme NESSI.\n",
        "body_html": None,
        "documents": [
            message.OutgoingDocument(
                "Compte rendu de consultation", "11488-4", "application/pdf", PDF
            )
        ],
        "request_receipt": True,
        "date": DATE,
    }
    fields.update(changes)
    return message.Outgoing(**fields)


def level1_document(title: str = "Lettre", type_code: str = "11488-4") -> xdm.XdmDocument:
    """A level 1 CDA wrapping :data:`PDF`, about RUTH, as a package document."""
    info = ihe.DocumentInfo(title, type_code, unique_id="2.25.1", set_id="2.25.2", created=DATE)
    cda = ihe.level1(base64.b64encode(PDF), info, RUTH, PRACTITIONER)
    return xdm.XdmDocument(cda, title, type_code, "urn:ihe:iti:xds-sd:pdf:2008", "2.25.1", DATE)


def cr_bio_document(name: str = "tsh") -> xdm.XdmDocument:
    return xdm.XdmDocument(
        example(name),
        "CR de biologie",
        "11502-2",
        "urn:ihe:lab:xd-lab:2008",
        f"2.25.9{len(name)}",
        DATE,
    )


def package(documents: list[xdm.XdmDocument], patient: ihe.Patient = RUTH, **changes) -> bytes:
    arguments = {
        "sender": SENDER,
        "recipients": [RECIPIENT],
        "date": DATE,
        "submission_id": "2.25.77",
        "source_id": "1.2.250.1.999.1",
        "title": "Envoi de documents",
    }
    arguments.update(changes)
    return xdm.build_xdm(documents, patient, PRACTITIONER, **arguments)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def rezip(files: dict[str, bytes], *, infos: dict[str, zipfile.ZipInfo] | None = None) -> bytes:
    """A zip of ``files`` (name → content), deflated; ``infos`` gives some members their own
    header (a link, an encrypted flag…)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr((infos or {}).get(name, name), content)
    return out.getvalue()
