"""The VSM (volet de synthèse médicale), a CDA R2 document the DMP takes: the shared French
header (``ihe.cda.header``) and the structured body of the CI-SIS VSM 2023.01 model; it passes
the CDA XSD and the ANS schematrons."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from lxml import etree

from aiguillage.plugin import Practitioner, ihe

_el = ihe.cda.element


@dataclass(frozen=True)
class VsmPart:
    """One kind of item of the VSM's JSON (``key``), written as a captioned table in the text
    of its section; the third column holds the item's ``code`` or, for treatments, its
    ``dosage``."""

    key: str
    caption: str
    columns: tuple[str, str, str]
    third: str = "code"


@dataclass(frozen=True)
class VsmSection:
    """A section of the VSM: its templateId, LOINC code and title, and either the parts its
    text is made of or its sub-sections."""

    template: str
    code: str
    title: str
    parts: tuple[VsmPart, ...] = ()
    subsections: tuple[VsmSection, ...] = ()


#: The VSM 2023.01 body, as its schematron (CI-SIS_VSM_2023.01.sch) and the ANS section models
#: (CI-SIS_Modeles_ANS.sch) require it: three sections, the first holding the two sub-sections
#: "pathologies, antécédents, allergies" (1.2.250.1.213.1.1.2.30) and "facteurs de risque"
#: (…2.31). Their IHE sub-sections (active problems, medications…) would each need coded
#: entries, which the JSON does not carry: the models allow the unstructured form instead, one
#: section text with no sub-section, and that is what is written.
VSM_BODY = (
    VsmSection(
        "1.2.250.1.213.1.1.2.29",
        "46612-8",
        "Pathologies, antécédents, allergies et facteurs de risque",
        subsections=(
            VsmSection(
                "1.2.250.1.213.1.1.2.30",
                "34117-2",
                "Pathologies en cours, antécédents et allergies",
                parts=(
                    VsmPart("problems", "Pathologies en cours", ("Depuis", "Pathologie", "Code")),
                    VsmPart("history", "Antécédents médicaux", ("Date", "Antécédent", "Code")),
                    VsmPart(
                        "allergies",
                        "Allergies et hypersensibilités",
                        ("Depuis", "Allergie", "Code"),
                    ),
                ),
            ),
            VsmSection(
                "1.2.250.1.213.1.1.2.31",
                "57207-3",
                "Facteurs de risque",
                parts=(
                    VsmPart(
                        "risk_factors",
                        "Facteurs de risque",
                        ("Depuis", "Facteur de risque", "Code"),
                    ),
                ),
            ),
        ),
    ),
    VsmSection(
        "1.3.6.1.4.1.19376.1.5.3.1.3.27",
        "30954-2",
        "Résultats",
        parts=(VsmPart("results", "Résultats pertinents", ("Date", "Résultat", "Code")),),
    ),
    VsmSection(
        "1.2.250.1.213.1.1.2.32",
        "18776-5",
        "Traitement au long cours",
        parts=(
            VsmPart("treatments", "Traitements", ("Depuis", "Traitement", "Posologie"), "dosage"),
        ),
    ),
)
VSM_KEYS = tuple(
    part.key
    for section in VSM_BODY
    for leaf in (section.subsections or (section,))
    for part in leaf.parts
)
VSM_EVENT = ihe.Code("34117-2", ihe.cda.LOINC, "Historique et clinique")
#: The templateId that says a document is a VSM ("Conformité au VSM").
VSM_TEMPLATE = "1.2.250.1.213.1.1.1.13"


def vsm(
    content: dict, info: ihe.DocumentInfo, patient: ihe.Patient, practitioner: Practitioner
) -> bytes:
    """The VSM (volet de synthèse médicale) in the CI-SIS VSM 2023.01 model: its header and a
    structured body (:data:`VSM_BODY`) whose section texts hold a table per kind of item
    (``content`` keys: :data:`VSM_KEYS`; each item has ``label``, and optionally ``since``,
    ``code`` or ``dosage``). A kind with no item says so."""
    root = ihe.cda.header(info, patient, practitioner, (VSM_TEMPLATE,), VSM_EVENT)
    structured = _el(_el(root, "component"), "structuredBody")
    for section in VSM_BODY:
        _vsm_section(structured, section, content, info.unique_id)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _vsm_section(parent: etree._Element, model: VsmSection, content: dict, document: str) -> None:
    section = _el(_el(parent, "component"), "section")
    _el(section, "templateId", root=model.template)
    # Derived from the document's id, not drawn: a VSM built again from the same payload (an
    # item an earlier daemon queued as JSON, at each try) is the same bytes, so the registry's
    # hash shows it is the document already sent.
    _el(
        section,
        "id",
        root=str(uuid.uuid5(uuid.NAMESPACE_OID, f"{document}/{model.template}")).upper(),
    )
    _el(
        section,
        "code",
        code=model.code,
        codeSystem=ihe.cda.LOINC,
        codeSystemName="LOINC",
        displayName=model.title,
    )
    _el(section, "title", model.title)
    if model.parts:
        text = _el(section, "text")
        for part in model.parts:
            _narrative(text, part, content.get(part.key) or [])
    for subsection in model.subsections:
        _vsm_section(section, subsection, content, document)


def _narrative(text: etree._Element, part: VsmPart, items: list[dict]) -> None:
    if not items:
        paragraph = _el(text, "paragraph")
        _el(paragraph, "caption", part.caption)
        paragraph[-1].tail = "Aucune information"
        return
    table = _el(text, "table", border="1")
    _el(table, "caption", part.caption)
    header = _el(_el(table, "thead"), "tr")
    for column in part.columns:
        _el(header, "th", column)
    rows = _el(table, "tbody")
    for item in items:
        row = _el(rows, "tr")
        _el(row, "td", _french_date(item.get("since")))
        _el(row, "td", item["label"])
        _el(row, "td", item.get(part.third) or "")


def _french_date(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"
