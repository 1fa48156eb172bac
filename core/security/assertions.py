"""The practitioner's signed assertion (a card-mode "PS" assertion) as the CNAM SOAP services
take it in ``wsse:Security``: the practitioner's national id qualified ``CPS``, their billing
number as ``identifiantFacturation``. Signing costs a few milliseconds, so one assertion serves
a practitioner's calls while it has more than a minute of validity left."""

from __future__ import annotations

import datetime as dt
import time

from lxml import etree

from aiguillage.determinism import utc_now
from aiguillage.security.practitioner import Practitioner
from aiguillage.security.saml import Attribute, Signer, build_assertion

#: An assertion is not reused once it has less than this left: the call it goes with may be
#: retried, and the service must still find it valid.
MARGIN = 60.0
#: Practitioners remembered at once; past that the cache starts again (a shared EHR has a few).
MOST = 256


class PractitionerAssertions:
    """``assertions.get(practitioner)``: a signed PS assertion, valid ``validity`` seconds."""

    def __init__(self, signer: Signer, validity: float = 300.0) -> None:
        self.signer = signer
        self.validity = validity
        self._cache: dict[Practitioner, tuple[float, etree._Element]] = {}

    def get(self, practitioner: Practitioner) -> etree._Element:
        now = time.time()
        cached = self._cache.get(practitioner)
        if cached and cached[0] - now > MARGIN:
            return cached[1]
        attributes = (
            [Attribute("identifiantFacturation", (practitioner.billing_id,))]
            if practitioner.billing_id
            else []
        )
        assertion = self.signer.sign(
            build_assertion(
                issuer=self.signer.issuer,
                name_id=practitioner.national_id,
                name_qualifier="CPS",
                attributes=attributes,
                now=utc_now(),
                validity=dt.timedelta(seconds=self.validity),
            )
        )
        if len(self._cache) >= MOST:
            self._cache.clear()
        self._cache[practitioner] = (now + self.validity, assertion)
        return assertion
