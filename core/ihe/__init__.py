"""Shared IHE and ANS builders and readers, for every plugin that writes or reads CDA documents
and XDS/XDM metadata (plugins reach them as ``aiguillage.plugin.ihe``):

- :mod:`.cda`: the CDA R2 French header, the level 1 document wrapping a PDF, the CDA schema,
  the checks of a CDA's patient;
- :mod:`.xds`: ebRIM/XDS metadata (submission set, document entries, ``HasMember``), the XDM
  ``METADATA.XML``, and the reader of document entries;
- :mod:`.hl7v2`: HL7 v2 datatypes of the metadata (CX, XCN, XON, CWE, DTM, PID fields);
- :mod:`.valuesets`: the ANS value sets the codes come from (bundled files).

The names below are the ones most callers need; each module documents the rest.
"""

from __future__ import annotations

from . import cda, hl7v2, valuesets, xds
from .cda import (
    HL7,
    DocumentInfo,
    NotBase64,
    Patient,
    cda_schema,
    level1,
    new_oid,
    patient_of,
)
from .valuesets import Code, UnknownCode, lookup
from .xds import DocumentEntry, Entry, MetadataError, read_entries, xdm_entry, xdm_metadata

__all__ = [
    "HL7",
    "Code",
    "DocumentEntry",
    "DocumentInfo",
    "Entry",
    "MetadataError",
    "NotBase64",
    "Patient",
    "UnknownCode",
    "cda",
    "cda_schema",
    "hl7v2",
    "level1",
    "lookup",
    "new_oid",
    "patient_of",
    "read_entries",
    "valuesets",
    "xdm_entry",
    "xdm_metadata",
    "xds",
]
