"""The ApCV protocol as the simulator speaks it: namespaces, actions and the faults it answers.

There is no published WSDL or XSD for ApCV. The operations, SOAP actions, body namespaces and the
headers below are written here from public integration material (operation and action names,
``ContexteLPS`` without ``ContexteBAM``, the ``ContexteApCV`` object); element names the material
does not show, and the fault codes, are the simulator's own. None of it comes from the client: a
constant the client gets wrong must fail against the simulator, which it cannot do when both sides
share it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: SOAP 1.2 envelope (W3C SOAP 1.2 Part 1, §5) and its media type (RFC 3902).
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
SOAP12_MEDIA_TYPE = "application/soap+xml"
#: WS-Addressing 1.0 (W3C), for ``MessageID`` and ``Action``.
WSA = "http://www.w3.org/2005/08/addressing"
#: OASIS WS-Security 1.0, whose ``Security`` header carries the practitioner's assertion.
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
#: The software context of the SESAM-Vitale/CNAM services, the same as INSi's (version 01_00).
CTXLPS = "urn:siram:lps:ctxlps"
CTXLPS_VERSION = "01_00"
#: The body namespaces (a 2.0 of the auth service exists; this is the 1.0).
AUTH = "http://www.sesam-vitale.fr/apcv/auth/1/0"
SIGN = "http://www.sesam-vitale.fr/apcv/sign/1/0"


@dataclass(frozen=True)
class Operation:
    name: str
    #: The ``wsa:Action`` the request must carry.
    action: str
    #: The namespace of the request's body element (named like the operation) and of the answer
    #: (the operation's name followed by ``Reponse``).
    namespace: str

    @property
    def body(self) -> str:
        return f"{{{self.namespace}}}{self.name}"

    @property
    def answer(self) -> str:
        return f"{{{self.namespace}}}{self.name}Reponse"


AUTHENTICATE = Operation(
    "authentifierUtilisateurProximite",
    "urn:ApCV_AUTH:1.0.0:authentifierUtilisateurProximite",
    AUTH,
)
RESTORE = Operation("restituerContexteApCV", "urn:ApCV_AUTH:1.0.0:restituerContexteApCV", AUTH)
DESTROY = Operation("detruireContexteApCV", "urn:ApCV_AUTH:1.0.0:detruireContexteApCV", AUTH)
SIGN_VITALE = Operation("signerVitale", "urn:ApCV_SIGN:1.0.0:signerVitale", SIGN)
#: The operations by action.
OPERATIONS = {op.action: op for op in (AUTHENTICATE, RESTORE, DESTROY, SIGN_VITALE)}


@dataclass(frozen=True)
class SimFault:
    """A SOAP fault: ``Subcode`` names ``code`` in the operation's namespace; ``sender`` says
    whose fault it is (``soap:Sender``, HTTP 400, or ``soap:Receiver``, HTTP 500)."""

    code: str
    message: str
    sender: bool = True

    def saying(self, message: str) -> SimFault:
        return SimFault(self.code, message, self.sender)


QR_INVALID = SimFault("QR_INVALIDE", "Les données lues ne sont pas un code ApCV")
QR_TAMPERED = SimFault("QR_ALTERE", "Le code ApCV est altéré : sa signature ne correspond pas")
QR_EXPIRED = SimFault("QR_EXPIRE", "Le code ApCV a expiré : en faire afficher un nouveau")
QR_REPLAYED = SimFault("QR_REJOUE", "Le code ApCV a déjà été utilisé")
UNKNOWN_HOLDER = SimFault("BENEFICIAIRE_INCONNU", "Aucun bénéficiaire pour ce code ApCV")
CONTEXT_UNKNOWN = SimFault("CONTEXTE_INCONNU", "Contexte ApCV inconnu")
CONTEXT_EXPIRED = SimFault("CONTEXTE_EXPIRE", "Contexte ApCV expiré")
CONTEXT_OTHER = SimFault(
    "CONTEXTE_AUTRE_PS", "Le contexte ApCV a été ouvert par un autre professionnel de santé"
)
PRACTITIONER_MISMATCH = SimFault(
    "PS_INCOHERENT", "L'identifiant de facturation ne correspond pas à l'assertion du PS"
)
BAD_HEADER = SimFault("ENTETE_INVALIDE", "En-tête de la requête invalide")
NO_ASSERTION = SimFault("ASSERTION_ABSENTE", "Assertion d'authentification du PS absente")
BAD_ASSERTION = SimFault("ASSERTION_INVALIDE", "Assertion d'authentification du PS invalide")
BAD_REQUEST = SimFault("REQUETE_INVALIDE", "Requête invalide")
UNAVAILABLE = SimFault(
    "SERVICE_INDISPONIBLE", "Le service ApCV est momentanément indisponible", sender=False
)
#: Every fault by code: what ``POST /_sim/faults {"queue": [...]}`` may name.
FAULTS = {
    f.code: f
    for f in (
        QR_INVALID,
        QR_TAMPERED,
        QR_EXPIRED,
        QR_REPLAYED,
        UNKNOWN_HOLDER,
        CONTEXT_UNKNOWN,
        CONTEXT_EXPIRED,
        CONTEXT_OTHER,
        PRACTITIONER_MISMATCH,
        BAD_HEADER,
        NO_ASSERTION,
        BAD_ASSERTION,
        BAD_REQUEST,
        UNAVAILABLE,
    )
}
