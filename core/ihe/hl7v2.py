"""HL7 v2 datatypes as XDS metadata writes them (ITI TF-3 §4.2.3.1.7): the patient id (CX),
persons (XCN), organisations (XON), coded values (CWE), times (DTM), and the
``sourcePatientInfo`` PID fields; builders and readers."""

from __future__ import annotations

import datetime as dt
import re

from aiguillage.security.practitioner import Practitioner
from aiguillage.shapes import INS_OIDS

from .cda import Patient

PERSON_ROOT, STRUCTURE_ROOT = "1.2.250.1.71.4.2.1", "1.2.250.1.71.4.2.2"


def dtm(moment: dt.datetime) -> str:
    """An XDS DTM to the second, in UTC (``20261202003959``)."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S")


# An HL7 TS (the CDA XSD's pattern, its digits in pairs): a date, or a day with a time of day,
# a fraction of a second (after the seconds only) and an offset from UTC.
_TS = re.compile(
    r"(?P<date>[0-9]{8})(?P<time>[0-9]{2}(?:[0-9]{2}){0,2})(?P<fraction>\.[0-9]+)?"
    r"(?P<offset>[+-][0-9]{4})?"
    r"|(?P<day>[0-9]{4}(?:[0-9]{2}){0,2})"
)


def dtm_of_ts(ts: str) -> str:
    """An XDS DTM (UTC, ``YYYY[MM[DD[hh[mm[ss]]]]]``) from an HL7 TS as a CDA writes it, with
    its precision. A time of day is moved to UTC from its offset, or, without one, from this
    machine's time zone (the EHR's, which runs beside the daemon). :class:`ValueError` if
    ``ts`` is not a TS, or not a moment that exists."""
    match = _TS.fullmatch(ts)
    if match is None or (match["fraction"] and len(match["time"]) < 6):
        raise ValueError(f"{ts!r} is not an HL7 date and time (YYYYMMDD[hhmm[ss]][+hhmm])")
    digits = match["day"] or match["date"] + match["time"]
    values = [int(digits[i : i + 4 if i == 0 else i + 2]) for i in (0, *range(4, len(digits), 2))]
    zone = None  # without an offset, a time is this machine's local time
    if match["offset"]:
        offset = match["offset"]
        hours, minutes = int(offset[1:3]), int(offset[3:])
        if hours > 23 or minutes > 59:
            raise ValueError(f"{ts!r} has no valid offset from UTC")
        zone = dt.timezone(
            (1 if offset[0] == "+" else -1) * dt.timedelta(hours=hours, minutes=minutes)
        )
    try:
        moment = dt.datetime(*values, *[1, 1][len(values) - 1 :], tzinfo=zone)
        if not match["time"]:  # a date: no time of day to move
            return digits
        utc = moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"{ts!r} is not a moment that exists") from None
    # strftime would not pad a year before 1000.
    return (f"{utc.year:04d}" + utc.strftime("%m%d%H%M%S"))[: len(digits)]


def cx(patient: Patient) -> str:
    """The patient id as XDS writes it: ``INS^^^&OID&ISO^NH``."""
    return f"{patient.ins}^^^&{patient.ins_oid}&ISO^NH"


def xcn(p: Practitioner) -> str:
    """A practitioner as an XCN with the national id (IDNPS) under the RPPS OID."""
    return f"{p.national_id}^{p.family_name}^{p.given_name}^^^^^^&{PERSON_ROOT}&ISO^D^^^IDNPS"


def xon(p: Practitioner) -> str:
    """A practitioner's structure as an XON with the national structure id (IDNST)."""
    return f"{p.structure_name}^^^^^&{STRUCTURE_ROOT}&ISO^IDNST^^^{p.structure_id}"


# An XDS DTM as the registry gives it: UTC, its precision from the year to the second.
_DTM = re.compile(
    r"([0-9]{4})(?:([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})(?:([0-9]{2}))?)?)?)?)?"
)


def rfc3339_of_dtm(value: str) -> str | None:
    """An XDS DTM (``20261202003959``) as the API serves every time: RFC 3339 with its offset,
    ``2026-12-02T00:39:59+00:00``. XDS metadata writes DTMs in UTC; the parts a coarser DTM
    leaves out are the start of the period it names (``20261202`` is that day's midnight).
    ``None`` for a value that is no DTM or no moment that exists."""
    match = _DTM.fullmatch(value or "")
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) if g else None for g in match.groups())
    try:
        moment = dt.datetime(
            year, month or 1, day or 1, hour or 0, minute or 0, second or 0, tzinfo=dt.UTC
        )
    except ValueError:
        return None
    # isoformat would not pad a year before 1000; a registry holds none, but the shape stays.
    return f"{moment.year:04d}" + moment.isoformat()[4:]


def _components(value: str) -> list[str]:
    return value.split("^")


def _part(parts: list[str], n: int) -> str | None:
    return (parts[n] if n < len(parts) else "") or None


def _authority(parts: list[str], n: int) -> str | None:
    """The OID of an HD (``&1.2.250.1.71.4.2.1&ISO``): its universal id, the second
    sub-component."""
    hd = (_part(parts, n) or "").split("&")
    return (hd[1] if len(hd) > 1 else "") or None


def person_of_xcn(value: str) -> dict[str, str | None]:
    """The parts of an XCN (``authorPerson``, ``legalAuthenticator``): ``id``, the type of id
    (``IDNPS``: the national practitioner id), the OID of its assigning authority, ``family``,
    ``given`` (the further given names after it)."""
    parts = _components(value)
    given = " ".join(p for p in (_part(parts, 2), _part(parts, 3)) if p)
    return {
        "id": _part(parts, 0),
        "id_type": _part(parts, 12),
        "oid": _authority(parts, 8),
        "family": _part(parts, 1),
        "given": given or None,
    }


def institution_of_xon(value: str) -> dict[str, str | None]:
    """The parts of an XON (``authorInstitution``): ``name``, ``id`` (the 10th component, or
    the 3rd as older XON have it), its type (``IDNST``: the national structure id), the OID
    of its assigning authority."""
    parts = _components(value)
    return {
        "name": _part(parts, 0),
        "id": _part(parts, 9) or _part(parts, 2),
        "id_type": _part(parts, 6),
        "oid": _authority(parts, 5),
    }


def code_of_cwe(value: str) -> dict[str, str | None]:
    """The parts of a coded value (``authorSpecialty``, ``authorRole``: ``code^display^system``,
    the system an OID or an HD)."""
    parts = _components(value)
    system = _part(parts, 2)
    return {
        "code": _part(parts, 0),
        "display": _part(parts, 1),
        "system": _authority(parts, 2) if system and "&" in system else system,
    }


def source_patient_info(patient: Patient, *, with_id: bool = True) -> list[str]:
    """The ``sourcePatientInfo`` values of a document entry (ITI TF-3 §4.2.3.2.23): PID-3 the
    INS as a CX (left out with ``with_id=False``), PID-5 the birth name and first names
    (name type ``L``), PID-7 the birth date (``YYYYMMDD``), PID-8 the sex."""
    values = [f"PID-3|{cx(patient)}"] if with_id else []
    return [
        *values,
        f"PID-5|{patient.birth_name}^{' '.join(patient.first_names)}^^^^^L",
        f"PID-7|{patient.birth_date.replace('-', '')}",
        f"PID-8|{patient.sex}",
    ]


class Hl7Error(ValueError):
    """An HL7 v2 value that is not what its field must hold; the message names the field."""


def ins_of_cx(value: str) -> dict[str, str]:
    """The INS of a patient id written as a CX (``INS^^^&OID&ISO^NH``): ``matricule`` and
    ``oid``. :class:`Hl7Error` when it has no id or no assigning authority OID."""
    parts = _components(value)
    matricule, oid = _part(parts, 0), _authority(parts, 3)
    if not matricule or not oid:
        raise Hl7Error(f"patient id {value!r} is not a CX with an id and an authority OID")
    return {"matricule": matricule, "oid": oid}


_PID_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?:[0-9]{2,6}(?:\.[0-9]+)?)?([+-][0-9]{4})?")
_PID_SEX = {"M", "F", "U", "O", "A", "N"}


def traits_of_source_patient_info(values: list[str]) -> dict:
    """The identity a ``sourcePatientInfo`` slot gives: ``traits`` (``birth_name``,
    ``first_names`` as a list, ``birth_date`` as ``YYYY-MM-DD``, ``sex``; each present only when
    written) and ``ins`` (``{"matricule", "oid"}`` from the first PID-3 under an INS OID, else
    ``None``). The first repetition of a field is read; others are ignored. :class:`Hl7Error`
    naming the field for a value that is no PID field or a date that does not exist."""
    fields: dict[str, list[str]] = {}
    for value in values:
        name, bar, content = value.partition("|")
        if not bar or not re.fullmatch(r"PID-[0-9]+", name.strip()):
            raise Hl7Error(f"sourcePatientInfo value {value!r} is not PID-n|value")
        fields.setdefault(name.strip(), []).append(content)
    traits: dict[str, object] = {}
    names = (fields.get("PID-5") or [""])[0].split("~")[0]
    if names:
        parts = _components(names)
        if _part(parts, 0):
            traits["birth_name"] = parts[0]
        given = " ".join(p for p in (_part(parts, 1), _part(parts, 2)) if p)
        if given:
            traits["first_names"] = given.split()
    birth = (fields.get("PID-7") or [""])[0]
    if birth:
        match = _PID_DATE.fullmatch(birth)
        try:
            if match is None:
                raise ValueError
            traits["birth_date"] = dt.date(*(int(g) for g in match.groups()[:3])).isoformat()
        except ValueError:
            raise Hl7Error(f"sourcePatientInfo PID-7 {birth!r} is not a date (YYYYMMDD)") from None
    sex = (fields.get("PID-8") or [""])[0]
    if sex:
        if sex not in _PID_SEX:
            raise Hl7Error(f"sourcePatientInfo PID-8 {sex!r} is not an HL7 sex (M, F, U…)")
        traits["sex"] = sex
    ins = None
    for value in fields.get("PID-3", []):
        for repetition in value.split("~"):
            try:
                candidate = ins_of_cx(repetition)
            except Hl7Error:
                continue
            if candidate["oid"] in INS_OIDS:
                ins = candidate
                break
        if ins:
            break
    return {"traits": traits, "ins": ins}
