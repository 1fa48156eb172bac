"""The public plugin API: everything a plugin imports from the core, and nothing else.

    from aiguillage.plugin import Call, Operation, PluginInfo, accept, hookimpl

Every name below is documented in ``docs/plugins.md`` (a test fails when one is not), and a test
fails when a built-in plugin imports anything from the core but this module. The rest of the
core is private: it may change in any release. Incompatible changes to this module bump
``CONTRACT_VERSION``.
"""

from __future__ import annotations

from aiguillage import __version__, ihe, mtom
from aiguillage.certificates import CertificateError, certificate_keys
from aiguillage.daemon import Daemon
from aiguillage.determinism import new_uuid, utc_now
from aiguillage.health import probe_endpoint, service_health
from aiguillage.hookspecs import (
    CONTRACT_VERSION,
    Call,
    ConfigKey,
    Health,
    Operation,
    Param,
    PluginConfig,
    PluginInfo,
    RemoteAction,
    hookimpl,
)
from aiguillage.identity import (
    identity_config_keys,
    identity_problem,
    identity_refusal,
    journal_identity_refusal,
    require_qualified,
)
from aiguillage.journal import Entry, JournalFilter
from aiguillage.openapi import merge_errors
from aiguillage.outbox import Attachment, Delivered, DeliveryError, Item
from aiguillage.outbox_api import (
    ACCEPTED_SCHEMA,
    DELIVERY_ERROR_SCHEMA,
    Accepted,
    Send,
    accept,
    accept_many,
)
from aiguillage.places import (
    PLACE_CODE_PATTERN,
    CogFileError,
    Place,
    Places,
    birth_place_problem,
    birth_places,
    fold_place,
    import_places,
    nir_place,
)
from aiguillage.problems import FieldError, Problem, validation_problem
from aiguillage.security.assertions import PractitionerAssertions
from aiguillage.security.credentials import (
    Credential,
    client_context,
    configured_credential,
    configured_trust,
    load_ca_bundle,
    load_credential,
    server_context,
)
from aiguillage.security.practitioner import PRACTITIONER_SCHEMA, Practitioner
from aiguillage.security.saml import Attribute, InvalidAssertion, Signer, Verifier, build_assertion
from aiguillage.security.testpki import TestPki, plugin_test_pki
from aiguillage.security.vihf import Software, build_vihf
from aiguillage.shapes import (
    BENEFICIARY_SCHEMA,
    DOCUMENT_PATIENT_SCHEMA,
    IDENTITY_STATUS_SCHEMA,
    IDENTITY_STATUSES,
    INS_DEFAULT_OID,
    INS_OID_SCHEMA,
    INS_OIDS,
    INS_SCHEMA,
    INS_TRAITS_SCHEMA,
    MATRICULE,
    PARTIAL_TRAITS_SCHEMA,
    PATIENT_SCHEMA,
    TRAITS_SCHEMA,
    fold_name,
)
from aiguillage.simulators import (
    Faults,
    Injection,
    fault_keys,
    inject_route,
    injection_from_query,
    serve_tls,
)
from aiguillage.store import Store
from aiguillage.times import TIME_PARAM, iso, parse_time
from aiguillage.xml import XmlError, unwritable_text
from aiguillage.xml import parse as parse_xml

__all__ = [  # noqa: RUF022 - grouped by topic, in the order of docs/plugins.md
    # the contract
    "CONTRACT_VERSION",
    "hookimpl",
    "PluginInfo",
    "ConfigKey",
    "PluginConfig",
    "Operation",
    "Param",
    "Call",
    "RemoteAction",
    "Daemon",
    "Health",
    "__version__",
    # generated ids and frame times (seeded and frozen in certification runs)
    "new_uuid",
    "utc_now",
    # queueing sends, delivering them
    "accept",
    "accept_many",
    "Send",
    "Accepted",
    "ACCEPTED_SCHEMA",
    "DELIVERY_ERROR_SCHEMA",
    "Item",
    "Attachment",
    "Delivered",
    "DeliveryError",
    # errors
    "Problem",
    "FieldError",
    "validation_problem",
    "merge_errors",
    # journal
    "Entry",
    "JournalFilter",
    # storage of a plugin's own
    "Store",
    # health
    "probe_endpoint",
    "service_health",
    # simulators
    "serve_tls",
    "Faults",
    "fault_keys",
    "Injection",
    "injection_from_query",
    "inject_route",
    "plugin_test_pki",
    "TestPki",
    # security
    "CertificateError",
    "certificate_keys",
    "Credential",
    "configured_credential",
    "configured_trust",
    "client_context",
    "load_ca_bundle",
    "load_credential",
    "server_context",
    "Practitioner",
    "PRACTITIONER_SCHEMA",
    "Signer",
    "Verifier",
    "InvalidAssertion",
    "Attribute",
    "build_assertion",
    "PractitionerAssertions",
    "Software",
    "build_vihf",
    # shapes of the API that several plugins share
    "INS_SCHEMA",
    "INS_OIDS",
    "INS_OID_SCHEMA",
    "PATIENT_SCHEMA",
    "PARTIAL_TRAITS_SCHEMA",
    "INS_DEFAULT_OID",
    "INS_TRAITS_SCHEMA",
    "TRAITS_SCHEMA",
    "DOCUMENT_PATIENT_SCHEMA",
    "BENEFICIARY_SCHEMA",
    "MATRICULE",
    "fold_name",
    # birth places (INSEE COG)
    "birth_places",
    "birth_place_problem",
    "nir_place",
    "fold_place",
    "import_places",
    "Place",
    "Places",
    "PLACE_CODE_PATTERN",
    "CogFileError",
    # identity status (RNIV)
    "IDENTITY_STATUSES",
    "IDENTITY_STATUS_SCHEMA",
    "identity_config_keys",
    "identity_refusal",
    "identity_problem",
    "journal_identity_refusal",
    "require_qualified",
    "TIME_PARAM",
    "parse_time",
    "iso",
    # XML and MTOM
    "parse_xml",
    "XmlError",
    "unwritable_text",
    "mtom",
    "ihe",
]
