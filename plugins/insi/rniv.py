"""The identity-vigilance rules of the RNIV (Référentiel national d'identitovigilance, volet 1:
"Principes d'identification des usagers communs à tous les acteurs de santé") that give an
identity its status. Pure: no I/O, no clock (the caller says whether the patient is a minor).

What is encoded, and where it comes from:

- **Four statuses** (RNIV 1, "statuts de confiance de l'identité numérique"), each the
  combination of two facts: the INS was obtained or verified with the INSi teleservice, and the
  traits were checked against a high-trust identity document. Neither: ``PROV`` (provisoire);
  the INS only: ``RECUP`` (récupérée); the document only: ``VALI`` (validée); both: ``QUAL``
  (qualifiée), the only status under which the INS may reference and share health data.
  :data:`STATUS_OF` is that table; a status the EHR holds gives back its two facts
  (:data:`FACTS_OF`), which new evidence then changes.
- **High-trust documents** (RNIV 1, "dispositifs d'identité à haut niveau de confiance"):
  passport, national identity card, permanent residence permit. For a minor without one of
  their own (RNIV 1, 2024 edition, §3.3.3): the birth certificate extract or the family record
  book *together with* a high-trust document of a parent (or of the guardian, with the court
  decision), or the travel document for a foreign minor (with a photograph). Anything else
  (driving licence, carte Vitale…) is low trust and validates nothing. The EHR may lower a
  document's trust (an expired card) but not raise it, except for ``other``, which takes the
  trust it is given.
- **INSi outcomes**: an INS found by a search or confirmed by a verification sets the INSi
  fact; a verification that reports differing traits (or another INS), no identity (CR 01),
  several (CR 02) or a provisional number (NIA, OID 1.2.250.1.213.1.4.9, on which no identity
  is qualified) clears it: a ``QUAL`` identity falls to ``VALI``, a ``RECUP`` one to ``PROV``.
- **Attributes** (RNIV 1, "attributs de l'identité"): a *fictitious* identity (a pseudonym, an
  anonymous care) keeps the status ``PROV`` and is never qualified; a *doubtful* one keeps
  ``PROV`` until the doubt is lifted; *homonym* changes no status (it asks for more care when
  choosing among identities).

The special case of RNIV 1 §3.3.3 for residents admitted straight to a nursing home (EHPAD:
birth extract with a carte Vitale bearing a photograph) is not encoded: a GP practice does not
admit to an EHPAD.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["PROV", "RECUP", "VALI", "QUAL"]
Trust = Literal["high", "low"]

#: (traits checked against a high-trust document, INS from INSi) → status (RNIV 1).
STATUS_OF: dict[tuple[bool, bool], Status] = {
    (False, False): "PROV",
    (False, True): "RECUP",
    (True, False): "VALI",
    (True, True): "QUAL",
}
FACTS_OF: dict[Status, tuple[bool, bool]] = {status: facts for facts, status in STATUS_OF.items()}

LABELS: dict[Status, str] = {
    "PROV": "Identité provisoire",
    "RECUP": "Identité récupérée",
    "VALI": "Identité validée",
    "QUAL": "Identité qualifiée",
}


@dataclass(frozen=True)
class Document:
    """A kind of identity document: its French name and what it is worth under the RNIV."""

    name: str
    #: ``high``: validates by itself; ``minor_with_parent``: for a minor, with a parent's
    #: high-trust document; ``minor``: for a minor only; ``low``: validates nothing.
    worth: Literal["high", "minor_with_parent", "minor", "low"]


DOCUMENTS: dict[str, Document] = {
    "passport": Document("passeport", "high"),
    "national_id_card": Document("carte nationale d'identité", "high"),
    "residence_permit": Document("titre de séjour permanent", "high"),
    "birth_certificate": Document("extrait d'acte de naissance", "minor_with_parent"),
    "family_record_book": Document("livret de famille", "minor_with_parent"),
    "minor_travel_document": Document("document de circulation pour étranger mineur", "minor"),
    "driving_licence": Document("permis de conduire", "low"),
    "health_insurance_card": Document("carte Vitale", "low"),
    "other": Document("autre document", "low"),
}
#: The documents of a parent (or guardian) that go with a minor's birth extract.
PARENT_DOCUMENTS = tuple(k for k, d in DOCUMENTS.items() if d.worth == "high")

#: What the INSi teleservice said, as the status rules read it: does it give the INS?
INSI_OUTCOMES: dict[str, bool] = {
    "found": True,  # a search, CR 00, whose traits the identity now carries
    "verified": True,  # a verification, CR 00, same INS and traits
    "differs": False,  # a verification (or search) returning other traits or another INS
    "not_found": False,  # CR 01
    "several": False,  # CR 02
    "nia": False,  # an INS-NIA, a provisional number
}
ATTRIBUTES = ("doubtful", "fictitious", "homonym")


class ProofError(ValueError):
    """An identity proof that contradicts the rules (a driving licence said to be high trust);
    ``field`` names the part of it, under ``identity_proof``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Proof:
    """The identity document the traits were checked against (``parent_document``: the
    parent's, for a minor's birth extract or family record book)."""

    document: str
    trust: Trust | None = None
    parent_document: str | None = None
    parent_trust: Trust | None = None


@dataclass(frozen=True)
class Missing:
    """Something to do before the identity can be qualified."""

    code: str
    label: str


@dataclass
class Assessment:
    status: Status
    rule: str
    reason: str
    qualifiable: bool
    missing: list[Missing] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: What the document given was worth (``None``: none given).
    document_trust: Trust | None = None

    @property
    def label(self) -> str:
        return LABELS[self.status]


def proof_trust(proof: Proof, minor: bool) -> tuple[Trust, str]:
    """What ``proof`` is worth for this patient, and why (raises :class:`ProofError` when the
    EHR claims a trust the rules do not give)."""
    document = DOCUMENTS[proof.document]
    worth = document.worth
    if worth == "low" and proof.document == "other":
        return proof.trust or "low", "autre document : niveau de confiance déclaré par le logiciel"
    if worth == "low":
        if proof.trust == "high":
            raise ProofError(
                "trust", f"a {document.name} is not a high-trust identity document (RNIV 1)"
            )
        return "low", f"{document.name} : dispositif d'identité à faible niveau de confiance"
    if proof.trust == "low":  # the EHR saw it was unusable (expired, damaged)
        return "low", f"{document.name} jugé inutilisable par le professionnel"
    if worth == "high":
        return "high", f"{document.name} : dispositif à haut niveau de confiance (RNIV 1)"
    if not minor:
        if proof.trust == "high":
            raise ProofError(
                "trust", f"a {document.name} validates only a minor's identity (RNIV 1 §3.3.3)"
            )
        return "low", f"{document.name} : accepté pour un mineur seulement (RNIV 1 §3.3.3)"
    if worth == "minor":
        return "high", f"{document.name}, mineur (RNIV 1 §3.3.3)"
    if proof.parent_document is None:
        return "low", (
            f"{document.name} sans le dispositif à haut niveau de confiance d'un parent "
            "(RNIV 1 §3.3.3)"
        )
    parent = DOCUMENTS[proof.parent_document]
    if parent.worth != "high" or proof.parent_trust == "low":
        if proof.parent_trust == "high":
            raise ProofError(
                "parent_trust", f"a {parent.name} is not a high-trust identity document (RNIV 1)"
            )
        return "low", (
            f"{document.name} avec un {parent.name} du parent, qui n'est pas un dispositif à "
            "haut niveau de confiance (RNIV 1 §3.3.3)"
        )
    return "high", f"{document.name} avec le {parent.name} d'un parent (RNIV 1 §3.3.3)"


_DOCUMENT_NEEDED = Missing(
    "identity_proof",
    "contrôler les traits sur un dispositif d'identité à haut niveau de confiance : passeport, "
    "carte nationale d'identité, titre de séjour permanent ; pour un mineur, extrait d'acte de "
    "naissance ou livret de famille avec celui d'un parent",
)
_INSI_NEEDED = {
    None: Missing("insi", "récupérer ou vérifier l'INS avec le téléservice INSi"),
    "differs": Missing(
        "insi",
        "INSi renvoie d'autres traits (ou une autre INS) : les contrôler sur le document "
        "d'identité, corriger l'identité locale, puis vérifier à nouveau l'INS",
    ),
    "not_found": Missing(
        "insi", "INSi ne trouve pas l'identité : contrôler les traits saisis, puis réessayer"
    ),
    "several": Missing(
        "insi",
        "INSi trouve plusieurs identités : ajouter le lieu de naissance et tous les prénoms",
    ),
    "nia": Missing(
        "insi",
        "INSi ne donne qu'un NIA (numéro provisoire) : l'identité ne peut pas être qualifiée "
        "avant l'attribution du NIR",
    ),
}
_HOMONYM_NOTE = (
    "Identité homonyme : vigilance renforcée pour choisir l'identité ; l'attribut ne change pas "
    "le statut (RNIV 1)"
)


def assess(
    current: Status | None = None,
    proof: Proof | None = None,
    insi: str | None = None,
    attributes: frozenset[str] | set[str] = frozenset(),
    minor: bool = False,
) -> Assessment:
    """The identity's status once this evidence is added to what ``current`` already
    established (``None``: a new identity), with the rule that decided and what is missing."""
    document, ins = FACTS_OF[current or "PROV"]
    trust, trust_reason = proof_trust(proof, minor) if proof else (None, "")
    if trust == "high":
        document = True
    retrieved = INSI_OUTCOMES[insi] if insi is not None else None
    downgraded = retrieved is False and ins
    if retrieved is not None:
        ins = retrieved
    notes = [_HOMONYM_NOTE] if "homonym" in attributes else []
    if trust == "low":
        notes.append(f"Document non retenu : {trust_reason}")

    def result(status: Status, rule: str, reason: str, qualifiable: bool = True) -> Assessment:
        missing: list[Missing] = []
        if qualifiable and status != "QUAL":
            if not document:
                missing.append(_DOCUMENT_NEEDED)
            if not ins:
                missing.append(_INSI_NEEDED.get(insi, _INSI_NEEDED[None]))
        return Assessment(status, rule, reason, qualifiable, missing, notes, trust)

    if "fictitious" in attributes:
        return result(
            "PROV",
            "fictitious",
            "Identité fictive : elle garde le statut provisoire et n'est jamais qualifiée "
            "(RNIV 1, attributs de l'identité)",
            qualifiable=False,
        )
    if "doubtful" in attributes:
        outcome = result(
            "PROV",
            "doubtful",
            "Identité douteuse : elle garde le statut provisoire tant que le doute n'est pas "
            "levé ; elle ne peut être ni validée ni qualifiée (RNIV 1, attributs de l'identité)",
        )
        outcome.missing.insert(
            0,
            Missing(
                "doubt",
                "lever le doute (traits incohérents, suspicion d'usurpation) et retirer "
                "l'attribut « identité douteuse »",
            ),
        )
        return outcome
    status = STATUS_OF[(document, ins)]
    if downgraded:
        why = {
            "differs": "la vérification INSi renvoie d'autres traits ou une autre INS",
            "not_found": "INSi ne trouve plus l'identité (CR 01)",
            "several": "INSi trouve plusieurs identités (CR 02)",
            "nia": "INSi ne donne qu'un NIA, numéro provisoire",
        }[insi or "differs"]
        return result(
            status,
            "insi-downgrade",
            f"{LABELS[current or 'PROV']} ramenée au statut « {LABELS[status]} » : {why} ; "
            "l'INS ne peut plus être utilisée (RNIV 1)",
        )
    reasons = {
        "PROV": "Ni INS récupérée par INSi, ni traits contrôlés sur un dispositif d'identité "
        "à haut niveau de confiance : identité provisoire (RNIV 1)",
        "RECUP": "INS récupérée ou vérifiée par INSi, traits non contrôlés sur un dispositif "
        "d'identité à haut niveau de confiance : identité récupérée (RNIV 1)",
        "VALI": "Traits contrôlés sur un dispositif d'identité à haut niveau de confiance, "
        "sans INS récupérée par INSi : identité validée (RNIV 1)",
        "QUAL": "INS récupérée ou vérifiée par INSi et traits contrôlés sur un dispositif "
        "d'identité à haut niveau de confiance : identité qualifiée (RNIV 1)",
    }
    reason = reasons[status]
    if trust_reason and trust == "high":
        reason += f" ; {trust_reason}"
    rule = {"PROV": "provisional", "RECUP": "recovered", "VALI": "validated", "QUAL": "qualified"}
    return result(status, rule[status], reason)
