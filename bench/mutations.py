"""Mutation check: break, one at a time, behaviours the test suite must protect, and see a test
fail for each. Each mutation edits a scratch copy of the project (the working tree is never
touched) and runs the tests named with it there; the scratch copy is imported through a small
package shim, so no second install is needed.

    python bench/mutations.py [NAME ...]      # all mutations, or those named

Prints one line per mutation — ``killed`` (a test failed), ``SURVIVED`` (every test passed:
the behaviour is unprotected) or ``ERROR`` (the tests could not run) — and the score. Exits 1
when a mutation survived or errored. A mutation whose text is no longer in its file is an error
too: update the list when the code moves.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DMP_TESTS = "tests/plugins/dmp"
MSS_TESTS = "tests/plugins/mssante"
SIM_T = "tests/plugins/mssante/test_simulator.py::"
IHE_T = "tests/test_ihe.py"
MSS_D = "tests/plugins/mssante/test_daemon.py"


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTATIONS = [
    # --- issue 9: DMP conformance ---------------------------------------------------------
    Mutation(
        "vsm: the first section holds no sub-section",
        "plugins/dmp/vsm.py",
        "        _vsm_section(section, subsection, content, document)",
        "        pass",
        (f"{DMP_TESTS}/test_cda.py",),
    ),
    Mutation(
        "vsm: 'Traitement au long cours' gets a sub-section and a text",
        "plugins/dmp/vsm.py",
        "    for subsection in model.subsections:",
        "    medications = VsmSection('1.3.6.1.4.1.19376.1.5.3.1.3.19', '10160-0', 'Traitements')\n"
        "    for subsection in model.subsections or ((medications,) * (model.code == '18776-5')):",
        (f"{DMP_TESTS}/test_cda.py",),
    ),
    Mutation(
        "class: every type is a 'Compte rendu'",
        "core/ihe/valuesets.py",
        '    return lookup("dmp_class", class_code)',
        '    return lookup("dmp_class", "10" if type_code != "E1762" else class_code)',
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "types: the CI-SIS set J07 instead of the DMP's J66",
        "core/ihe/valuesets.py",
        '    lookup("dmp_type", type_code)\n    class_code',
        '    lookup("type", type_code)\n    class_code',
        (f"{DMP_TESTS}/test_xds_conformance.py", f"{DMP_TESTS}/test_submission.py"),
    ),
    Mutation(
        "types: the signature's type offered for documents",
        "plugins/dmp/documents.py",
        "    if type_code == SIGNATURE_TYPE:",
        "    if type_code == 'never':",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "content type: the document's type repeated (as before)",
        "plugins/dmp/metadata.py",
        "        doc.title,\n        s.content_type,",
        "        doc.title,\n        doc_type,",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "content type: none on ITI-57 updates",
        "core/ihe/xds.py",
        "    b.classification(package, CONTENT_TYPE, content_type)",
        "    if unique_id:\n        b.classification(package, CONTENT_TYPE, content_type)",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "content type: the configured code ignored",
        "plugins/dmp/metadata.py",
        '    if configured:\n        return lookup("dmp_content_type", configured)',
        '    if False:\n        return lookup("dmp_content_type", configured)',
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "simulator: class not checked against the type",
        "plugins/dmp/simulator.py",
        "        if class_of(type_code).code != class_code:",
        "        if False:",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "simulator: content type not checked",
        "plugins/dmp/simulator.py",
        "    if len(content_types) != 1:",
        "    if not content_types:\n        return package\n    if len(content_types) != 1:",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "display names: not the value sets' own",
        "core/ihe/valuesets.py",
        'Code(concept["code"], systems[include["system"]], concept["display"])',
        'Code(concept["code"], systems[include["system"]], concept["display"].title())',
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "serviceStopTime: always sent",
        "core/ihe/xds.py",
        '    if doc.service_stop:\n        b.slot(entry, "serviceStopTime", doc.service_stop)',
        '    b.slot(entry, "serviceStopTime", doc.service_stop or dtm(doc.created))',
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "service times: offsets not moved to UTC",
        "core/ihe/hl7v2.py",
        '            (1 if offset[0] == "+" else -1) * dt.timedelta(hours=hours, minutes=minutes)',
        "            0 * dt.timedelta(hours=hours, minutes=minutes)",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "signature: no purpose",
        "plugins/dmp/xades.py",
        '    etree.SubElement(commitment, f"{{{XADES}}}AllSignedDataObjects")',
        '    etree.SubElement(commitment, f"{{{XADES}}}AllSignedDataObjects")\n'
        "    data_properties.remove(commitment)",
        (f"{DMP_TESTS}/test_submission.py",),
    ),
    Mutation(
        "signature: purpose read from unsigned parts too",
        "plugins/dmp/xades.py",
        "        for target in signed\n",
        "        for target in [signature]\n",
        (f"{DMP_TESTS}/test_submission.py",),
    ),
    Mutation(
        "simulator: signature purpose not checked",
        "plugins/dmp/simulator.py",
        "            if SOURCE_SIGNATURE not in verified.purposes:",
        "            if False:",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "vihf: no subject-id",
        "core/security/vihf.py",
        "        Attribute(SUBJECT_ID, (practitioner.display_name,)),\n",
        "",
        ("tests/test_vihf.py",),
    ),
    Mutation(
        "simulator: subject-id not required without a card",
        "plugins/dmp/simulator.py",
        '        if verified.attributes.get("Authentification_mode") != ["DIRECTE"]:',
        "        if False:",
        ("tests/test_vihf.py",),
    ),
    Mutation(
        "ins traits: birth place optional",
        "core/shapes.py",
        '    "required": [*TRAITS_SCHEMA["required"], "birth_place"],',
        '    "required": TRAITS_SCHEMA["required"],',
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "ins traits: an EHR's CDA not checked",
        "plugins/dmp/documents.py",
        "        for problem in ihe.cda.ins_trait_problems(person)",
        "        for problem in []",
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "ehr cda: a VSM known by the LOINC code (as before)",
        "plugins/dmp/documents.py",
        "    elif root.find(f\"{q}templateId[@root='{VSM_TEMPLATE}']\") is not None:",
        '    elif type_code == "60591-5":',
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "terminology: a newer published set called current",
        "plugins/dmp/terminology_update.py",
        '        if given > bundled:\n            return "older"',
        '        if given > bundled:\n            return "current"',
        (f"{DMP_TESTS}/test_terminology.py",),
    ),
    Mutation(
        "simulator: an ITI-41 submission set not checked",
        "plugins/dmp/simulator.py",
        "        check_submission_set(submit)\n",
        "",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "ehr cda: its type not checked",
        "plugins/dmp/documents.py",
        "    check_type(type_code, field, errors)\n    body =",
        "    body =",
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "ehr cda: the birth first names not required",
        "core/ihe/cda.py",
        '"birth first names (given without qualifier)": "hl7:name/hl7:given[not(@qualifier)]"',
        '"birth first names (given without qualifier)": "hl7:name/hl7:given[@qualifier=\'BR\']"',
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "ehr cda: a birth place that is no COG code accepted",
        "core/ihe/cda.py",
        "    if place and not _COG.fullmatch(place):",
        "    if False:",
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "ehr cda: a service that ends before it starts accepted",
        "core/ihe/xds.py",
        "    if start and stop and stop < start[: len(stop)]:",
        "    if False:",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "service times: a naive time taken as UTC",
        "core/ihe/hl7v2.py",
        "    zone = None  # without an offset, a time is this machine's local time",
        "    zone = dt.UTC  # without an offset, a time is this machine's local time",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "content type: not the one fixed at queue time",
        "plugins/dmp/delivery.py",
        '        p.get("content_type")\n        or content_type_of(',
        "        content_type_of(",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    # --- found on the way: a dispatcher woken as it is cancelled must still stop ------------
    Mutation(
        "delivery: the dispatcher sleeps with wait_for (swallows a cancellation on 3.11)",
        "core/delivery.py",
        "            async with asyncio.timeout(wait):\n                await self.wake.wait()",
        "            await asyncio.wait_for(self.wake.wait(), wait)",
        (
            "tests/test_outbox.py::test_the_dispatchers_stop_when_a_delivery_ends_as_the_daemon_stops",
        ),
    ),
    Mutation(
        "tests: a missing specification file skips in CI",
        "tests/conftest.py",
        '        if os.environ.get("CI"):\n            pytest.fail(message)',
        "        if False:\n            pytest.fail(message)",
        ("tests/test_support.py",),
    ),
    # --- issue 10: behaviours the suite must protect ---
    Mutation(
        "outbox: a restart requeues sent items too",
        "core/outbox.py",
        "SELECT id FROM items WHERE state = 'sending'\")",
        "SELECT id FROM items WHERE state IN ('sending', 'sent')\")",
        ("tests/test_outbox_crash.py",),
    ),
    Mutation(
        "outbox: a claim takes sent items too",
        "core/outbox.py",
        "\"(state = 'queued' AND next_attempt_at <= ?)",
        "\"(state IN ('queued', 'sent') AND next_attempt_at <= ?)",
        ("tests/test_outbox.py::test_a_sent_item_is_never_delivered_again",),
    ),
    Mutation(
        "journal: verify checks each row's own hash only, not its link",
        "core/journal.py",
        '        if row["prev_hash"] != expected_prev:',
        "        if False:",
        ("tests/test_journal.py::test_verify_names_an_edited_row_whose_hash_was_recomputed",),
    ),
    Mutation(
        "journal: verify does not compare the last row with the head",
        "core/journal.py",
        '    if last_hash != head["hash"]:',
        "    if False:",
        ("tests/test_journal.py::test_verify_names_the_last_row_edited_with_its_hash_recomputed",),
    ),
    Mutation(
        "writer: each durable job commits alone",
        "core/writer.py",
        "MAX_GROUP = 1000",
        "MAX_GROUP = 1",
        ("tests/test_writer.py",),
    ),
    Mutation(
        "delivery: the plugin's classify_error verdict ignored",
        "core/delivery.py",
        "        if verdict is None:\n"
        '            verdict = "transient" if isinstance(exc, TRANSIENT_TYPES) else "permanent"',
        '        verdict = "transient" if isinstance(exc, TRANSIENT_TYPES) else "permanent"',
        (
            "tests/test_outbox.py::test_the_plugin_classifies_its_own_error_as_transient",
            "tests/test_outbox.py::test_the_plugin_classifies_its_own_error_as_permanent",
        ),
    ),
    Mutation(
        "insi: a second call with all first names after CR 02 too",
        "plugins/insi/api.py",
        '        if _cr(exchanges) == "01" and len(traits.first_names) > 1:',
        '        if _cr(exchanges) != "00" and len(traits.first_names) > 1:',
        (
            "tests/plugins/insi/test_search.py::test_a_second_call_with_all_first_names_only_after_cr_01",
        ),
    ),
    Mutation(
        "insi: a second call with a single first name",
        "plugins/insi/api.py",
        '        if _cr(exchanges) == "01" and len(traits.first_names) > 1:',
        '        if _cr(exchanges) == "01" and len(traits.first_names) >= 1:',
        (
            "tests/plugins/insi/test_search.py::test_a_second_call_with_all_first_names_only_after_cr_01",
        ),
    ),
    Mutation(
        "insi: verify reports no differing trait",
        "plugins/insi/identity.py",
        '    return [{"trait": name, "held": a, "returned": b} '
        "for name, (a, b) in pairs.items() if a != b]",
        "    return []",
        # Tests that need no specification file beside the project.
        (
            "tests/plugins/insi/test_verify.py::test_each_differing_trait_is_reported",
            "tests/plugins/insi/test_verify.py::test_a_first_name_the_ehr_lacks_is_a_difference",
        ),
    ),
    Mutation(
        "migrations: no transaction, each statement commits alone (as before)",
        "core/migrations.py",
        """        conn.execute("BEGIN IMMEDIATE")
        try:
            applied = conn.execute(
                "SELECT 1 FROM _migrations WHERE store = ? AND name = ?", [store, name]
            ).fetchone()
            if applied is None:
                migration(db)
                conn.execute(
                    "INSERT INTO _migrations (store, name, applied_at) VALUES (?, ?, ?)",
                    [store, name, time.time()],
                )
            conn.execute("COMMIT")
        except BaseException:
            # The migration's own error, not a failed rollback, is what the caller must see.
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise""",
        """        with conn:
            migration(db)
            conn.execute(
                "INSERT INTO _migrations (store, name, applied_at) VALUES (?, ?, ?)",
                [store, name, time.time()],
            )""",
        ("tests/test_migrations.py",),
    ),
    Mutation(
        "migrations: not checked again once the write lock is held",
        "core/migrations.py",
        "            if applied is None:",
        "            if True:",
        ("tests/test_migrations.py",),
    ),
    # --- issue 10: simulators check with their own constants ---
    Mutation(
        "client: GetDocuments stored query id not IHE's",
        "plugins/dmp/client.py",
        'GET_DOCUMENTS = "urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4"',
        'GET_DOCUMENTS = "urn:uuid:5c4f972b-3c55-4a3b-a1d1-c1d0b8c2e4f0"',
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "client: ITI-18 WS-Addressing action not the WSDL's",
        "plugins/dmp/client.py",
        '    "find": "urn:ihe:iti:2007:RegistryStoredQuery",',
        '    "find": "urn:ihe:iti:2007:RegistryStoredQuery-b",',
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "metadata: typeCode classification scheme not IHE's",
        "core/ihe/xds.py",
        'TYPE_CODE = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"',
        'TYPE_CODE = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33984"',
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "client: INSi SOAP action of another service version",
        "plugins/insi/client.py",
        '    op: f"urn:ServiceIdentiteCertifiee:1.0.0:{op}" for op in',
        '    op: f"urn:ServiceIdentiteCertifiee:1.0.1:{op}" for op in',
        ("tests/plugins/insi/test_search.py",),
    ),
    # --- issue 10: the public plugin API -------------------------------------------------------
    Mutation(
        "plugin api: a hook called on every plugin, not the one asked",
        "core/plugin_manager.py",
        "            others = [p for n, p in self.pm.list_name_plugin() if n != name]",
        "            others = []",
        ("tests/test_plugin_contract.py",),
    ),
    Mutation(
        "plugin api: AIGUILLAGE_PLUGINS ignored (an installed plugin joins the tests)",
        "core/plugin_manager.py",
        "        if wanted is not None and ep.name not in wanted:",
        "        if False:",
        ("tests/test_example_plugin.py",),
    ),
    Mutation(
        "plugin api: an unavailable plugin's items claimed (their attempts spent)",
        "core/delivery.py",
        "        if self.config.unavailable is not None:\n            # Only a restart",
        "        if False:\n            # Only a restart",
        (f"{DMP_TESTS}/test_dmp.py::test_a_plugin_that_cannot_start_says_why_everywhere",),
    ),
    Mutation(
        "plugin api: call.service() gives None instead of a 503",
        "core/hookspecs.py",
        "        if self.config.service is None:",
        "        if False:",
        (f"{DMP_TESTS}/test_dmp.py::test_a_plugin_that_cannot_start_says_why_everywhere",),
    ),
    Mutation(
        "plugin api: Delivered(already_present=True) recorded as a plain send",
        "core/outbox.py",
        '    outcome = "already_present" if delivered.already_present else "sent"',
        '    outcome = "sent"',
        ("tests/test_outbox_crash.py",),
    ),
    Mutation(
        "accept_many: items of a batch not announced on the event stream",
        "core/outbox_api.py",
        "        for item in items:\n            ob.publish_state(app[EVENTS], item)\n",
        "",
        (f"{DMP_TESTS}/test_dmp.py::test_vsm_batch_queues_like_a_single_send",),
    ),
    Mutation(
        "accept_many: a replay without its Idempotent-Replayed header",
        "core/outbox_api.py",
        '        if self.replayed:\n            headers["Idempotent-Replayed"] = "true"',
        '        if False:\n            headers["Idempotent-Replayed"] = "true"',
        (f"{DMP_TESTS}/test_dmp.py::test_vsm_batch_queues_like_a_single_send",),
    ),
    Mutation(
        "plugin api: the delivery path imports the HTTP module",
        "plugins/dmp/delivery.py",
        "from .documents import queued_cda\n",
        "from . import api  # noqa: F401\nfrom .documents import queued_cda\n",
        ("tests/test_plugin_contract.py::test_the_delivery_path_does_not_import_the_http_module",),
    ),
    Mutation(
        "plugin api: a built-in plugin imports a private core module",
        "plugins/dmp/delivery.py",
        "from .documents import queued_cda\n",
        "from aiguillage.outbox import Item as _Item  # noqa: F401\n"
        "from .documents import queued_cda\n",
        (
            "tests/test_plugin_contract.py::test_plugins_import_nothing_of_the_core_but_the_public_module",
        ),
    ),
    # --- issue 11 (part): no 500 from what a client sends ---------------------------------------
    Mutation(
        "input: integers beyond 64 bits reach SQLite",
        "core/api.py",
        "        if isinstance(value, int) and not INT64[0] <= value <= INT64[1]:",
        "        if False:",
        ("tests/test_bad_input.py::test_integers_beyond_64_bits",),
    ),
    Mutation(
        "input: JSON nesting not capped",
        "core/api.py",
        "    _check_json(body, raw)\n",
        "",
        ("tests/test_bad_input.py::test_json_nested_too_deep",),
    ),
    Mutation(
        "input: a Last-Event-ID of any length",
        "core/routes.py",
        'r"[0-9]{1,18}"',
        'r"[0-9]+"',
        ("tests/test_bad_input.py::test_last_event_id_not_a_small_ascii_number",),
    ),
    Mutation(
        "input: a time moved out of the calendar by its offset",
        "core/times.py",
        "        return value.astimezone(dt.UTC).timestamp()",
        "        return value.timestamp()",
        ("tests/test_bad_input.py::test_times_at_the_edges_of_the_calendar",),
    ),
    Mutation(
        "input: birth dates matched with \\d (any script's digits, month 13)",
        "core/shapes.py",
        'r"^[0-9]{4}-(0[0-9]|1[0-2])-(0[0-9]|[12][0-9]|3[01])$"',
        'r"^\\d{4}-\\d{2}-\\d{2}$"',
        ("tests/test_bad_input.py::test_dates_are_ascii_and_can_exist",),
    ),
    Mutation(
        "input: a document both a PDF and a VSM",
        "plugins/dmp/schemas.py",
        '    "description": "A PDF, which the daemon wraps in a CDA R2 level 1.",\n'
        '    "required": ["pdf", "title", "type_code"],\n'
        '    "additionalProperties": False,',
        '    "description": "A PDF, which the daemon wraps in a CDA R2 level 1.",\n'
        '    "required": ["pdf", "title", "type_code"],',
        ("tests/test_bad_input.py::test_a_document_that_is_a_pdf_and_a_vsm",),
    ),
    Mutation(
        "input: an undecodable header quoted as it came",
        "core/problems.py",
        "        self.title = shortened(printable(self.title))\n"
        "        self.detail = shortened(printable(self.detail), 4 * MAX_QUOTED)\n",
        "        self.title, self.detail = shortened(self.title), shortened(self.detail)\n",
        ("tests/test_bad_input.py::test_headers_that_are_not_utf8",),
    ),
    Mutation(
        "input: a handler that crashes when an optional parameter is left out",
        "core/outbox_api.py",
        '        limit=p.get("limit", 50),',
        '        limit=p["limit"],',
        ("tests/test_openapi_fuzz.py",),
    ),
    Mutation(
        "exports: a CSV summary starting with = left live",
        "core/journal.py",
        "        writer.writerow([_inert(row[c]) for c in COLUMNS])",
        "        writer.writerow([row[c] for c in COLUMNS])",
        ("tests/test_hardening.py::test_csv_export_neutralises_formulas",),
    ),
    Mutation(
        "exports: an XLSX summary starting with = stored as a formula",
        "core/journal.py",
        '    cell.data_type = "s"\n',
        "",
        ("tests/test_hardening.py::test_xlsx_export_neutralises_formulas",),
    ),
    Mutation(
        "outbox: the listing shows no attachments (as before)",
        "core/outbox.py",
        "    if by_id:\n        marks",
        "    if False:\n        marks",
        ("tests/test_hardening.py::test_outbox_listing_shows_attachments",),
    ),
    Mutation(
        "api: the Server header names aiohttp and Python with their versions",
        "core/app.py",
        '    response.headers["Server"] = "aiguillage"',
        "    pass",
        ("tests/test_hardening.py::test_server_header_names_no_versions",),
    ),
    # --- issue 11: idempotency spaces, storage errors, ASCII numbers, quoted values -------------
    Mutation(
        "idempotency: batches and single sends share one key space",
        "core/outbox_api.py",
        'BATCHES = "\\x1e"',
        'BATCHES = ""',
        (f"{DMP_TESTS}/test_dmp.py::test_vsm_batch_queues_like_a_single_send",),
    ),
    Mutation(
        "storage: a full disk is an internal error",
        "core/api.py",
        "            problem = storage_problem(exc)",
        "            problem = None",
        ("tests/test_storage_full.py",),
    ),
    Mutation(
        "writer: a transaction SQLite undid is rolled back to its savepoint",
        "core/writer.py",
        "                    if not conn.in_transaction:",
        "                    if False:",
        ("tests/test_storage_full.py",),
    ),
    Mutation(
        "params: int() reads any script's digits",
        "core/api.py",
        '    if kind == "integer" and _ASCII_INTEGER.fullmatch(text):',
        '    if kind == "integer" and text.strip().lstrip("-").isdigit():',
        ("tests/test_bad_input.py::test_numbers_are_ascii_digits",),
    ),
    Mutation(
        "problems: a refused value is echoed whole",
        "core/problems.py",
        "        self.message = shortened(printable(self.message))",
        "        self.message = printable(self.message)",
        ("tests/test_bad_input.py::test_a_refused_value_is_quoted_not_echoed",),
    ),
    Mutation(
        "events: a revoked app's stream goes on",
        "core/routes.py",
        "            revoked = not clients.is_active(name)\n"
        "            if revoked:\n                break\n            if event",
        "            if event",
        (
            "tests/test_small_hardening.py::test_revoking_an_app_ends_its_event_stream_before_the_next_event",
            "tests/test_small_hardening.py::test_a_quiet_stream_of_a_revoked_app_ends_within_seconds",
        ),
    ),
    Mutation(
        "apps: any Unicode letter in a name",
        "core/clients.py",
        "        check_name(name)\n",
        "        if not name.replace('-', '').replace('_', '').isalnum():\n"
        "            raise ClientError(name)\n",
        ("tests/test_small_hardening.py",),
    ),
    Mutation(
        "apps: wildcard origins accepted",
        "core/clients.py",
        '    if "*" in given:',
        '    if given == "*":',
        ("tests/test_small_hardening.py::test_unsafe_or_impossible_origins_are_refused",),
    ),
    Mutation(
        "outbox: no re-basing when the wall clock jumps",
        "core/delivery.py",
        "            if abs(jump) >= CLOCK_JUMP_SECONDS:",
        "            if False:",
        (
            "tests/test_small_hardening.py::test_a_clock_set_back_an_hour_does_not_stall_retries",
            "tests/test_small_hardening.py::test_a_clock_set_forward_does_not_send_an_item_under_way_twice",
        ),
    ),
    Mutation(
        "outbox: breaker cooldown on the wall clock",
        "core/delivery.py",
        '        if self.state == "open" and now >= self.opened_mono + self.cooldown:',
        '        if self.state == "open" and wall_clock() >= self.opened_at + self.cooldown:',
        ("tests/test_small_hardening.py::test_a_clock_set_back_does_not_keep_the_breaker_open",),
    ),
    Mutation(
        "outbox: items planned past any backoff wait",
        "core/delivery.py",
        "ob.claim, self.name, limit, now, lease, self.policy.max_delay, durable=False",
        "ob.claim, self.name, limit, now, lease, durable=False",
        (
            "tests/test_small_hardening.py::test_a_retry_planned_before_the_clock_went_back_while_stopped_is_due",
        ),
    ),
    Mutation(
        "dmp: a taken uniqueId is assumed to be this document",
        "plugins/dmp/delivery.py",
        "            _check_same_document(taken, entry, unique_id, parts[0].data, patient)\n",
        "",
        ("tests/plugins/dmp/test_landing.py",),
    ),
    Mutation(
        "dmp: a taken uniqueId's hash is not compared",
        "plugins/dmp/delivery.py",
        "if registered != (hashlib.sha1(cda).hexdigest(), str(len(cda))):",
        "if False:",
        ("tests/plugins/dmp/test_landing.py",),
    ),
    Mutation(
        "dmp simulator: registers the hash and size the sender gave",
        "plugins/dmp/simulator.py",
        '"xml": etree.tostring(_with_slots(entry, {"hash": digest, "size": size})),',
        '"xml": etree.tostring(entry),',
        ("tests/plugins/dmp/test_landing.py",),
    ),
    Mutation(
        "dmp: a CDA naming a second INS is accepted",
        "core/ihe/cda.py",
        "    elif len(ins_ids) > 1:",
        "    elif False:",
        ("tests/plugins/dmp/test_landing.py",),
    ),
    Mutation(
        "dmp: a CDA's patient traits are not compared",
        "core/ihe/cda.py",
        "        if written and written != expected:",
        "        if False:",
        ("tests/plugins/dmp/test_landing.py",),
    ),
    Mutation(
        "dmp: VSM section ids are random, so a resent VSM is another document",
        "plugins/dmp/vsm.py",
        'root=str(uuid.uuid5(uuid.NAMESPACE_OID, f"{document}/{model.template}")).upper(),',
        "root=str(uuid.uuid4()).upper(),",
        ("tests/plugins/dmp/test_landing.py",),
    ),
    Mutation(
        "journal: every refused request is a row",
        "core/rejections.py",
        "        tally = self._tallies.get(key)",
        "        tally = None",
        ("tests/test_guard.py::test_a_flood_of_refused_requests_writes_a_few_small_rows",),
    ),
    Mutation(
        "journal: a refused request's fields are stored whole",
        "core/rejections.py",
        "    if len(data) <= REJECTION_FIELD_BYTES:",
        "    if True:",
        ("tests/test_guard.py::test_a_flood_of_refused_requests_writes_a_few_small_rows",),
    ),
    Mutation(
        "checkpoints: a journal shorter than its checkpoint passes",
        "core/checkpoints.py",
        "    if head_seq < seq:",
        "    if head_seq < seq - 1_000_000:",
        (
            "tests/test_checkpoints.py::test_verify_names_a_tail_deleted_with_its_head_moved_back",
            "tests/test_startup.py::test_a_journal_older_than_its_last_checkpoint_is_refused",
        ),
    ),
    Mutation(
        "start-up: a journal at odds with its checkpoints is taken",
        "core/app.py",
        "    if findings and not acceptances.new_journal:",
        "    if False:",
        (
            "tests/test_checkpoints.py::test_a_journal_older_than_its_checkpoint_stops_the_start",
            "tests/test_startup.py::test_a_deleted_journal_is_refused_then_accepted_and_journaled",
        ),
    ),
    Mutation(
        "start-up: a missing outbox/clients store is recreated silently",
        "core/datadir.py",
        "    if _daemon_ran(journal):",
        "    if False:",
        ("tests/test_startup.py",),
    ),
    Mutation(
        "data dir: permissions readable by others are left",
        "core/datadir.py",
        "        if mode & 0o077:",
        "        if False:",
        (
            "tests/test_startup.py::"
            "test_an_existing_data_dir_readable_by_others_is_fixed_with_a_warning",
        ),
    ),
    Mutation(
        "refusals: a DMP refusal is a gateway error again",
        "plugins/dmp/refusals.py",
        "    if error.code in REFUSALS:",
        "    if False:",
        (f"{DMP_TESTS}/test_refusals.py",),
    ),
    Mutation(
        "refusals: a closed DMP is a 403",
        "plugins/dmp/refusals.py",
        '    "DMPClosed": (409, "dmp-closed"',
        '    "DMPClosed": (403, "dmp-closed"',
        (f"{DMP_TESTS}/test_refusals.py",),
    ),
    Mutation(
        "refusals: an INSi refusal is a gateway error again",
        "plugins/insi/refusals.py",
        "    elif fault.code in REFUSALS:",
        "    elif False:",
        ("tests/plugins/insi/test_refusals.py",),
    ),
    Mutation(
        "write-ahead: DMP changes journaled only after the call",
        "plugins/dmp/api.py",
        "        if changes\n        else _journaled_after",
        "        if False\n        else _journaled_after",
        (f"{DMP_TESTS}/test_write_ahead.py",),
    ),
    Mutation(
        "write-ahead: a pending row that cannot be written is ignored",
        "core/hookspecs.py",
        '        await self.journal(event, summary, "pending", request=request, durable=True, '
        "**tags)\n",
        "        with contextlib.suppress(Exception):\n"
        '            await self.journal(event, summary, "pending", request=request, durable=True, '
        "**tags)\n",
        (f"{DMP_TESTS}/test_write_ahead.py",),
    ),
    Mutation(
        "write-ahead: no outcome row when the action fails",
        "core/hookspecs.py",
        "            await self._outcome(event, action, tags)\n            raise\n",
        "            raise\n",
        (f"{DMP_TESTS}/test_refusals.py", f"{DMP_TESTS}/test_dmp.py"),
    ),
    Mutation(
        "dmp: the route compares only the CDA's INS, not its traits",
        "plugins/dmp/documents.py",
        "for problem in ihe.cda.record_target_problems(role, ihe.patient_of(patient))\n",
        "for problem in ihe.cda.record_target_problems(role, ihe.patient_of(patient))"
        ' if "patientRole/id" in problem\n',
        (f"{DMP_TESTS}/test_landing.py::test_the_api_refuses_a_cda_of_another_person",),
    ),
    Mutation(
        "dmp: render=pdf answers whatever the body holds",
        "plugins/dmp/api.py",
        '    if not pdf.startswith(b"%PDF-"):',
        "    if False:",
        (f"{DMP_TESTS}/test_landing.py::test_render_pdf_of_a_document_without_a_pdf_is_a_422",),
    ),
    Mutation(
        "schemas: a pattern's '$' matches before a final newline",
        "core/api.py",
        '_Validator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})',
        "_Validator = Draft202012Validator",
        ("tests/test_bad_input.py::test_a_trailing_newline_is_not_the_end_of_a_pattern",),
    ),
    Mutation(
        "refusals: INSi's refusal of the installation is the EHR's 403",
        "plugins/insi/refusals.py",
        '    "desir_550": (502, "insi-configuration-refused"',
        '    "desir_550": (403, "insi-configuration-refused"',
        ("tests/plugins/insi/test_refusals.py",),
    ),
    Mutation(
        "checkpoints: a chain re-anchored by hand passes as a purge",
        "core/journal.py",
        "    if purged_to == anchor - 1:",
        "    if True:",
        ("tests/test_checkpoints.py::test_history_deleted_under_a_faked_purge_is_named",),
    ),
    Mutation(
        "checkpoints: a checkpoint file cut back passes",
        "core/checkpoints.py",
        "    if written is not None and not any((c.seq, c.hash) == written for c in "
        "contents.checkpoints):",
        "    if False:",
        (
            "tests/test_checkpoints.py::"
            "test_a_checkpoint_file_cut_back_with_the_journal_stops_the_start",
        ),
    ),
    Mutation(
        "checkpoints: a deleted checkpoint file is silent without the key",
        "core/checkpoints.py",
        "        elif written is not None:",
        "        elif False:",
        (
            "tests/test_checkpoints.py::"
            "test_a_checkpoint_file_deleted_in_certificate_mode_stops_the_start",
        ),
    ),
    Mutation(
        "start-up: an empty outbox without a journal is refused",
        "core/datadir.py",
        "        elif outbox.exists() and _has_items(outbox):",
        "        elif outbox.exists():",
        (
            "tests/test_startup.py::"
            "test_an_empty_outbox_left_by_the_previous_release_commands_starts",
        ),
    ),
    Mutation(
        "cli: apps list/revoke recreate a missing clients store",
        "core/cli.py",
        "    if not (data_dir / datadir.CLIENTS_DB).exists():  # not created here: see _outbox_db",
        "    if False:",
        ("tests/test_cli.py::test_apps_commands_do_not_make_a_missing_clients_store",),
    ),
    # --- issue 17: the API description ---------------------------------------------------------
    Mutation(
        "openapi: an undeclared problem goes out in tests",
        "core/middlewares.py",
        "    if slug in declared.get(response.status, ()):\n        return None",
        "    if True:\n        return None",
        ("tests/test_api_description.py::test_an_undeclared_problem_fails_the_tests_that_meet_it",),
    ),
    Mutation(
        "openapi: two schemas under one title publish one of them",
        "core/openapi.py",
        "        if self._seen.setdefault(title, text) != text:",
        "        if False:",
        (
            "tests/test_api_description.py::"
            "test_a_title_names_one_schema_and_a_changed_copy_stays_inline",
        ),
    ),
    Mutation(
        "openapi: named schemas copied inline",
        "core/openapi.py",
        '        return {"$ref": f"#/components/schemas/{title}"}',
        "        return hoisted",
        ("tests/test_openapi_lint.py::test_no_named_shape_is_copied_inline",),
    ),
    Mutation(
        "openapi: descriptions left out of the document",
        "core/openapi.py",
        '        doc["description"] = op.description',
        '        doc["x-description"] = op.description',
        ("tests/test_openapi_lint.py::test_redocly_lint_finds_no_error",),
    ),
    Mutation(
        "openapi: servers hard-coded whatever the daemon listens on",
        "core/routes.py",
        "    return with_origin(call.app[OPENAPI], str(call.request.url.origin()))",
        "    return call.app[OPENAPI]",
        (
            "tests/test_api_description.py::test_servers_is_the_address_the_document_was_fetched_from",
        ),
    ),
    Mutation(
        "openapi: the key problems of an idempotent send undeclared",
        "core/openapi.py",
        '    if "Idempotency-Key" in op.request_headers:\n'
        "        tables.append(IDEMPOTENCY_ERRORS)",
        "",
        ("tests/test_outbox.py",),
    ),
    Mutation(
        "api: a 422 on a oneOf body names / instead of the field",
        "core/api.py",
        "                yield from _leaves(iter(branch))\n                continue",
        "                pass",
        (
            "tests/test_api_description.py::"
            "test_a_422_on_a_body_with_alternatives_names_the_field_of_the_one_used",
        ),
    ),
    Mutation(
        "shapes: a birth date in the future is taken",
        "core/shapes.py",
        '    if year > today.year:\n        raise ValueError(f"{value} is in the future")',
        "",
        ("tests/test_bad_input.py::test_dates_are_ascii_and_can_exist",),
    ),
    Mutation(
        "shapes: an INS whose key is wrong is taken",
        "core/shapes.py",
        "        if not nir.is_valid(value):",
        "        if False:",
        (
            "tests/test_api_description.py::"
            "test_a_422_on_a_body_with_alternatives_names_the_field_of_the_one_used",
        ),
    ),
    Mutation(
        "shapes: names the INS cannot hold are taken",
        "core/shapes.py",
        "    if not _INS_NAME.fullmatch(folded):",
        "    if False:",
        ("tests/plugins/insi/test_search.py",),
    ),
    Mutation(
        "docs: a README out of step with the descriptions is not seen",
        "core/apidocs.py",
        "        return self.text != self.updated",
        "        return False",
        ("tests/test_api_description.py::test_a_changed_description_makes_its_readme_stale",),
    ),
    Mutation(
        "docs: the error table is not compared with the declarations",
        "docs/api.md",
        "| `payload-purged` | 410 |",
        "| `payload-purged` | 404 |",
        (
            "tests/test_api_description.py::"
            "test_the_error_table_lists_every_problem_type_with_its_statuses",
        ),
    ),
    Mutation(
        "practitioner: control characters reach the signed XML",
        "core/security/practitioner.py",
        '"pattern": _PATTERNS.get(f.name) or _PRINTABLE,',
        '**({"pattern": _PATTERNS[f.name]} if _PATTERNS.get(f.name) else {}),',
        ("tests/test_bad_input.py::test_a_practitioner_field_xml_cannot_carry_is_a_422",),
    ),
    Mutation(
        "openapi: a 401 the daemon answers is not in the document",
        "core/openapi.py",
        '    401: ("unauthorized", "invalid-token"),',
        '    401: ("invalid-token",),',
        ("tests/test_openapi_fuzz.py",),
    ),
    # INSi (issue 17)
    Mutation(
        "insi: the search's branches untyped again",
        "plugins/insi/api.py",
        '    "oneOf": [SEARCH_BY_TRAITS, SEARCH_BY_VITALE, SEARCH_BY_APCV],',
        '    "oneOf": [{"required": ["traits"]}, {"required": ["vitale"]}, SEARCH_BY_APCV],',
        ("tests/plugins/insi/test_description.py::test_the_search_is_one_of_three_real_types",),
    ),
    Mutation(
        "insi: a former INS's dates served with their time zone",
        "plugins/insi/client.py",
        "        return dt.date.fromisoformat(value[:10]).isoformat()",
        "        return dt.date.fromisoformat(value[:10]) and value",
        ("tests/plugins/insi/test_description.py::test_served_dates_and_times_are_rfc_3339",),
    ),
    Mutation(
        "insi: the timeout is not declared",
        "plugins/insi/refusals.py",
        "    rows = [*REFUSALS.values(), DOWN, REFUSED, UNAVAILABLE, TIMEOUT]",
        "    rows = [*REFUSALS.values(), DOWN, REFUSED, UNAVAILABLE]",
        ("tests/plugins/insi/test_faults.py::test_timeout",),
    ),
    Mutation(
        "insi: calls no longer say which first names they sent",
        "plugins/insi/api.py",
        '            call["first_names"] = list(first_names)',
        "            pass",
        (
            "tests/plugins/insi/test_description.py::test_the_request_examples_are_what_the_daemon_answers_as_shown",
        ),
    ),
    Mutation(
        "insi: names sent unfolded",
        "plugins/insi/identity.py",
        '        birth_name=fold_name(raw["birth_name"]),',
        '        birth_name=raw["birth_name"],',
        ("tests/plugins/insi/test_search.py::test_names_are_folded_to_the_insi_alphabet",),
    ),
    Mutation(
        "insi: first names joined in one string are not split",
        "plugins/insi/identity.py",
        '    first_names = [part for name in raw["first_names"] '
        'for part in fold_name(name).split(" ")]',
        '    first_names = [fold_name(name) for name in raw["first_names"]]',
        ("tests/plugins/insi/test_search.py::test_first_names_given_in_one_string_are_several",),
    ),
    Mutation(
        "insi: history times served without their offset",
        "plugins/insi/api.py",
        '                "time": row["time"],',
        '                "time": row["time"][:26],',
        ("tests/plugins/insi/test_description.py::test_served_dates_and_times_are_rfc_3339",),
    ),
    Mutation(
        "insi: an example that the daemon does not answer",
        "plugins/insi/examples.py",
        '"calls": [_call(["RUTH"], "00", 58.4)],',
        '"calls": [_call(["RUTH", "ISABELLE"], "00", 58.4)],',
        (
            "tests/plugins/insi/test_description.py::test_the_request_examples_are_what_the_daemon_answers_as_shown",
        ),
    ),
    Mutation(
        "insi: an example invalid against its schema",
        "plugins/insi/examples.py",
        '        "cr": {"code": "02", "label": "Plusieurs identites trouvees"},',
        '        "cr": {"code": "02"},',
        (
            "tests/plugins/insi/test_description.py::test_the_examples_are_valid_against_their_schemas",
        ),
    ),
    # DMP (issue 17)
    Mutation(
        "dmp: HL7 times served without their offset",
        "core/ihe/hl7v2.py",
        "second or 0, tzinfo=dt.UTC",
        "second or 0, tzinfo=None",
        ("tests/plugins/dmp/test_description.py::test_xds_times_become_rfc3339",),
    ),
    Mutation(
        "dmp: an XCN's id type read from the wrong component",
        "core/ihe/hl7v2.py",
        '"id_type": _part(parts, 12),',
        '"id_type": _part(parts, 11),',
        ("tests/plugins/dmp/test_description.py::test_authors_are_read_in_parts",),
    ),
    Mutation(
        "dmp: the author served as a raw XCN",
        "plugins/dmp/api.py",
        '"author": _author(entry.author_slots),',
        '"author": entry.author,',
        (
            "tests/plugins/dmp/test_description.py::test_a_listing_serves_times_and_authors_as_described",
        ),
    ),
    Mutation(
        "dmp: created served as HL7",
        "plugins/dmp/api.py",
        '"created": ihe.hl7v2.rfc3339_of_dtm(entry.creation_time),',
        '"created": entry.creation_time,',
        (
            "tests/plugins/dmp/test_description.py::test_a_listing_serves_times_and_authors_as_described",
        ),
    ),
    Mutation(
        "dmp: the exchange failures undeclared",
        "plugins/dmp/refusals.py",
        "    return merge_errors(ANY_EXCHANGE, *met, own or {})",
        "    return merge_errors(*met, own or {})",
        (
            "tests/plugins/dmp/test_description.py::test_every_refusal_is_declared_by_the_operations_that_may_meet_it",
        ),
    ),
    Mutation(
        "dmp: render=pdf's 422 undeclared",
        "plugins/dmp/api.py",
        '{**_NOT_FOUND, 422: ("not-level1-pdf",)},',
        "_NOT_FOUND,",
        (
            "tests/plugins/dmp/test_landing.py::test_render_pdf_of_a_document_without_a_pdf_is_a_422",
        ),
    ),
    Mutation(
        "dmp: the document kinds become anyOf",
        "plugins/dmp/schemas.py",
        '"oneOf": [PDF_DOCUMENT, VSM_DOCUMENT, CDA_DOCUMENT],',
        '"anyOf": [PDF_DOCUMENT, VSM_DOCUMENT, CDA_DOCUMENT],',
        ("tests/plugins/dmp/test_description.py::test_the_document_kinds_are_real_types",),
    ),
    Mutation(
        "dmp: a document read back typed octet-stream",
        "plugins/dmp/api.py",
        'response_media_type=("text/xml", "application/pdf"),',
        'response_media_type="application/octet-stream",',
        (
            "tests/plugins/dmp/test_description.py::test_times_are_date_time_and_the_file_answer_is_binary",
        ),
    ),
    Mutation(
        "dmp: a send's patient unchecked",
        "plugins/dmp/schemas.py",
        '"patient": DOCUMENT_PATIENT_SCHEMA,\n        "document": DOCUMENT_SCHEMA,',
        '"patient": {"type": "object"},\n        "document": DOCUMENT_SCHEMA,',
        (
            "tests/plugins/dmp/test_description.py::test_an_impossible_birth_date_is_refused_as_an_ins_search_refuses_it",
        ),
    ),
    Mutation(
        "dmp: a send without its Idempotency-Key parameter",
        "plugins/dmp/api.py",
        '        request_schema=SEND_SCHEMA,\n        request_headers=("Idempotency-Key",),',
        "        request_schema=SEND_SCHEMA,",
        (
            "tests/plugins/dmp/test_description.py::test_sends_declare_their_headers",
            "tests/test_generated_clients.py::test_the_python_flow_runs_against_the_simulators",
        ),
    ),
    # core operations (issue 17)
    Mutation(
        "health: checked_at served as epoch",
        "core/routes.py",
        'return {**result, "checked_at": iso(result["checked_at"])}',
        'return {**result, "checked_at": result["checked_at"]}',
        ("tests/test_core_description.py::test_health_serves_its_times_with_an_offset",),
    ),
    Mutation(
        "health: the breaker's opened_at served as epoch",
        "core/routes.py",
        'return {**described, "opened_at": iso(described["opened_at"])}',
        "return described",
        ("tests/test_core_description.py::test_health_serves_its_times_with_an_offset",),
    ),
    Mutation(
        "events: time served as epoch",
        "core/routes.py",
        'return {"type": event.type, "time": iso(event.time), **event.data}',
        'return {"type": event.type, "time": event.time, **event.data}',
        (
            "tests/test_core_description.py::test_the_events_a_daemon_emits_match_the_described_ones",
        ),
    ),
    Mutation(
        "events: plugin events overlap the core's",
        "core/routes.py",
        '            "not": {"enum": list(CORE_EVENT_TYPES)},\n',
        "",
        (
            "tests/test_core_description.py::test_the_events_a_daemon_emits_match_the_described_ones",
        ),
    ),
    Mutation(
        "outbox: retry answers another item shape",
        "core/outbox_api.py",
        '        response_schema=ITEM_SCHEMA,\n        response_examples={"queued again"',
        '        response_schema=ITEM_DETAIL_SCHEMA,\n        response_examples={"queued again"',
        ("tests/test_core_description.py::test_the_outbox_answers_share_one_named_item",),
    ),
    Mutation(
        "outbox: cancel's 409 undeclared",
        "core/outbox_api.py",
        '        response_examples={"cancelled": _CANCELLED_EXAMPLE},\n        errors=_CONFLICT,',
        '        response_examples={"cancelled": _CANCELLED_EXAMPLE},\n        errors=_NOT_FOUND,',
        ("tests/test_outbox.py::test_cancel",),
    ),
    Mutation(
        "outbox: a purged attachment's 410 undeclared",
        "core/outbox_api.py",
        'errors={404: ("not-found",), 410: ("payload-purged",)},',
        'errors={404: ("not-found",)},',
        ("tests/test_outbox.py::test_attachment_kept_then_purged_with_metadata",),
    ),
    Mutation(
        "events: a bad Last-Event-ID undeclared",
        "core/routes.py",
        'errors={400: ("bad-last-event-id",)},',
        "errors={},",
        ("tests/test_bad_input.py::test_last_event_id_not_a_small_ascii_number",),
    ),
    Mutation(
        "outbox: created_at without date-time",
        "core/outbox_api.py",
        '"created_at": {**_DATE_TIME, "description": "when it was queued"},',
        '"created_at": {"type": "string", "description": "when it was queued"},',
        (
            "tests/test_core_description.py::test_every_core_schema_is_typed_and_every_time_is_a_date_time",
        ),
    ),
    Mutation(
        "journal: export declares CSV only",
        "core/journal_api.py",
        'response_media_type=("text/csv", XLSX),',
        'response_media_type="text/csv",',
        ("tests/test_core_description.py::test_file_answers_name_their_media_types",),
    ),
    # generated clients and lint (issue 17)
    Mutation(
        "lint: a required rule weakened",
        "redocly.yaml",
        "  operation-description: error",
        "  operation-description: warn",
        ("tests/test_openapi_lint.py::test_redocly_lint_finds_no_error",),
    ),
    Mutation(
        "clients: XML answers read as text by the Python client",
        "examples/python/generator.yaml",
        "  text/xml: application/octet-stream\n",
        "",
        (
            "tests/test_generated_clients.py::test_every_file_answer_is_read_as_bytes_by_the_python_client",
        ),
    ),
    Mutation(
        "clients: the committed TypeScript schema is stale",
        "examples/typescript/schema.ts",
        "export type webhooks = Record<string, never>;",
        "export type webhooks = Record<string, never>; // stale",
        (
            "tests/test_generated_clients.py::test_the_committed_typescript_schema_is_what_the_document_generates",
        ),
    ),
    # --- issue 12: the shared IHE builders (aiguillage.ihe) -----------------------------------
    Mutation(
        "xdm: the hash is MD5, not SHA-1",
        "core/ihe/xds.py",
        'b.slot(entry, "hash", hashlib.sha1(doc.content).hexdigest())',
        'b.slot(entry, "hash", hashlib.md5(doc.content).hexdigest())',
        (f"{IHE_T}::test_each_entry_carries_the_hash_size_and_uri_of_its_file",),
    ),
    Mutation(
        "xdm: the size in kilobytes",
        "core/ihe/xds.py",
        '    b.slot(entry, "size", str(len(doc.content)))',
        '    b.slot(entry, "size", str(len(doc.content) // 1024))',
        (f"{IHE_T}::test_each_entry_carries_the_hash_size_and_uri_of_its_file",),
    ),
    Mutation(
        "xdm: no URI slot",
        "core/ihe/xds.py",
        '    if doc.uri is not None:\n        b.slot(entry, "URI", doc.uri)',
        '    if False:\n        b.slot(entry, "URI", doc.uri)',
        (f"{IHE_T}::test_each_entry_carries_the_hash_size_and_uri_of_its_file",),
    ),
    Mutation(
        "xdm: sourcePatientInfo without the INS (PID-3)",
        "core/ihe/xds.py",
        "        document_entry(b, objects, entry_id, doc, patient, practitioner)",
        "        document_entry(b, objects, entry_id, doc, patient, practitioner, patient_id_in_info=False)",
        (f"{IHE_T}::test_each_entry_gives_the_patient_with_the_ins",),
    ),
    Mutation(
        "xdm: PID-5 with the first first name only",
        "core/ihe/hl7v2.py",
        "f\"PID-5|{patient.birth_name}^{' '.join(patient.first_names)}^^^^^L\",",
        'f"PID-5|{patient.birth_name}^{patient.first_names[0]}^^^^^L",',
        (f"{IHE_T}::test_each_entry_gives_the_patient_with_the_ins",),
    ),
    Mutation(
        "xdm: PID-7 with dashes",
        "core/ihe/hl7v2.py",
        "f\"PID-7|{patient.birth_date.replace('-', '')}\",",
        'f"PID-7|{patient.birth_date}",',
        (f"{IHE_T}::test_each_entry_gives_the_patient_with_the_ins",),
    ),
    Mutation(
        "xdm: only the first entry is a member of the set",
        "core/ihe/xds.py",
        "    for entry_id in ids:\n        b.association(",
        "    for entry_id in ids[:1]:\n        b.association(",
        (f"{IHE_T}::test_the_submission_set_holds_every_entry_once",),
    ),
    Mutation(
        "xdm: the recipients are not written",
        "core/ihe/xds.py",
        "    if recipients:\n",
        "    if False:\n",
        (f"{IHE_T}::test_the_submission_set_holds_every_entry_once",),
    ),
    Mutation(
        "xdm: two entries with one file name (other case) accepted",
        "core/ihe/xds.py",
        "        if doc.uri.upper() in seen:",
        "        if doc.uri in seen:",
        (f"{IHE_T}::test_entries_without_a_file_of_their_own_are_refused",),
    ),
    Mutation(
        "xdm: an entry without URI accepted",
        "core/ihe/xds.py",
        "        if not doc.uri:\n",
        "        if False:\n",
        (f"{IHE_T}::test_entries_without_a_file_of_their_own_are_refused",),
    ),
    Mutation(
        "xdm reader: an INS taken under any OID",
        "core/ihe/hl7v2.py",
        '            if candidate["oid"] in INS_OIDS:\n                ins = candidate',
        '            if candidate["oid"]:\n                ins = candidate',
        (f"{IHE_T}::test_the_reader_takes_the_ins_only_under_an_ins_oid",),
    ),
    Mutation(
        "xdm reader: the INS of sourcePatientId ignored",
        "core/ihe/xds.py",
        '            if identity["ins"] is None and self.source_patient_id:',
        "            if False:",
        (f"{IHE_T}::test_the_reader_takes_the_ins_only_under_an_ins_oid",),
    ),
    Mutation(
        "xdm reader: a birth date that does not exist accepted",
        "core/ihe/hl7v2.py",
        '            traits["birth_date"] = dt.date(*(int(g) for g in match.groups()[:3])).isoformat()',
        '            traits["birth_date"] = f"{match[1]}-{match[2]}-{match[3]}"',
        (f"{IHE_T}::test_an_unreadable_patient_is_named",),
    ),
    Mutation(
        "xdm reader: the first names are the first only",
        "core/ihe/hl7v2.py",
        '            traits["first_names"] = given.split()',
        '            traits["first_names"] = given.split()[:1]',
        (f"{IHE_T}::test_the_entries_read_back_as_written",),
    ),
    Mutation(
        "xdm reader: a size that is no number crashes",
        "core/ihe/xds.py",
        "    if size_text and not (size_text.isascii() and size_text.isdigit()):",
        "    if False:",
        (f"{IHE_T}::test_a_size_that_is_no_number_is_named",),
    ),
    Mutation(
        "xdm reader: a long URI's parts not joined",
        "core/ihe/xds.py",
        '    return "".join(part for _, part in sorted(parts))',
        "    return values[0]",
        (f"{IHE_T}::test_a_long_uri_in_parts_is_joined",),
    ),
    Mutation(
        "xdm reader: the format code not read",
        "core/ihe/xds.py",
        "        format_code=first(classifications.get(FORMAT_CODE)),",
        "        format_code=first(classifications.get(CLASS_CODE)),",
        (f"{IHE_T}::test_the_entries_read_back_as_written",),
    ),
    Mutation(
        "xdm: the class of a J07-only type guessed",
        "core/ihe/xds.py",
        "        except UnknownCode:\n            raise UnknownCode(",
        "        except UnknownCode:\n            klass = lookup('dmp_class', '10')\n        if False:\n            raise UnknownCode(",
        (f"{IHE_T}::test_a_type_without_a_class_needs_one",),
    ),
    # --- issue 12: MSSanté mail logic (helper B: message, xdm, mdn, biology) ---------------
    Mutation(
        "biology: L is not abnormal",
        "plugins/mssante/biology.py",
        'ABNORMAL = frozenset({"A", "AA", "H", "HH", "HU", "L", "LL", "LU", "EX", "HX", "LX"})',
        'ABNORMAL = frozenset({"A", "AA", "H", "HH", "HU", "LL", "LU", "EX", "HX", "LX"})',
        (f"{MSS_TESTS}/test_biology.py::test_tsh_example_is_a_low_result_not_a_critical_one",),
    ),
    Mutation(
        "biology: LL is not critical",
        "plugins/mssante/biology.py",
        'CRITICAL = frozenset({"AA", "HH", "LL"})',
        'CRITICAL = frozenset({"AA", "HH"})',
        (f"{MSS_TESTS}/test_biology.py::test_a_result_changed_to_an_alert_code_is_critical",),
    ),
    Mutation(
        "biology: a previous result raises flags",
        "plugins/mssante/biology.py",
        "        if _is_previous_result(observation):\n            continue\n",
        "",
        (
            f"{MSS_TESTS}/test_biology.py::test_a_previous_result_quoted_in_the_report_raises_no_flag",
        ),
    ),
    Mutation(
        "biology: a reference range's interpretation counts",
        "plugins/mssante/biology.py",
        'root.iterfind(f".//{_Q}observation/{_Q}interpretationCode")',
        'root.iterfind(f".//{_Q}interpretationCode")',
        (
            f"{MSS_TESTS}/test_biology.py::test_the_interpretation_of_a_reference_range_is_not_the_results",
        ),
    ),
    Mutation(
        "biology: any document's results are read",
        "plugins/mssante/biology.py",
        'if root.tag != f"{_Q}ClinicalDocument" or not _is_biology_report(root):',
        'if root.tag != f"{_Q}ClinicalDocument":',
        (f"{MSS_TESTS}/test_biology.py::test_a_document_that_is_no_biology_report_raises_no_flag",),
    ),
    Mutation(
        "biology: the CR-BIO templates are not recognised",
        "plugins/mssante/biology.py",
        '    return any(t.get("root") in BIOLOGY_TEMPLATES for t in root.iterfind(f"{_Q}templateId"))',
        "    return False",
        (
            f"{MSS_TESTS}/test_biology.py::test_a_report_known_by_its_template_alone_is_still_biology",
        ),
    ),
    Mutation(
        "biology: the interpretation's code system is not checked",
        "plugins/mssante/biology.py",
        'if code not in ABNORMAL or interpretation.get("codeSystem") not in (',
        "if code not in ABNORMAL or None not in (",
        (
            f"{MSS_TESTS}/test_biology.py::test_an_interpretation_from_another_code_system_is_ignored",
        ),
    ),
    Mutation(
        "mdn: the error is not written code^label",
        "plugins/mssante/mdn.py",
        'return f"{mode}; processed/Error: {code}^{label}"',
        'return f"{mode}; processed/error: {code} {label}"',
        (
            f"{MSS_TESTS}/test_mdn.py::test_an_error_receipt_carries_code_and_label_and_the_ko_subject",
        ),
    ),
    Mutation(
        "mdn: no KO prefix on an error receipt's subject",
        "plugins/mssante/mdn.py",
        'ERROR_SUBJECT = "[KO Intégration système !][{code}] "',
        'ERROR_SUBJECT = "[{code}] "',
        (
            f"{MSS_TESTS}/test_mdn.py::test_an_error_receipt_carries_code_and_label_and_the_ko_subject",
        ),
    ),
    Mutation(
        "mdn: the original is not returned",
        "plugins/mssante/mdn.py",
        "        parts.append(returned)\n",
        "",
        (f"{MSS_TESTS}/test_mdn.py::test_the_original_message_is_returned_byte_for_byte",),
    ),
    Mutation(
        "mdn: a label with a line break is written",
        "plugins/mssante/mdn.py",
        '        _text(label, "error label", 400)\n',
        "",
        (
            f"{MSS_TESTS}/test_mdn.py::test_what_would_break_the_receipt_is_refused_naming_the_field",
        ),
    ),
    Mutation(
        "mdn: the returned original does not name the message",
        "plugins/mssante/mdn.py",
        'original_id = _field(candidate.get_payload(0), "Message-ID")',
        "original_id = None",
        (
            f"{MSS_TESTS}/test_mdn.py::test_without_original_message_id_the_returned_original_names_it",
        ),
    ),
    Mutation(
        "mdn: the label is not read",
        "plugins/mssante/mdn.py",
        "label = components[1].strip() if len(components) > 1 and components[1].strip() else None",
        "label = None",
        (f"{MSS_TESTS}/test_mdn.py::test_the_guides_example_is_read",),
    ),
    Mutation(
        "mdn: an accented label goes as 7-bit",
        "plugins/mssante/mdn.py",
        "    if body.isascii():\n",
        "    if True:\n",
        (f"{MSS_TESTS}/test_mdn.py::test_a_label_with_accents_travels_as_utf8_and_comes_back",),
    ),
    Mutation(
        "mdn: a new Message-ID on each build",
        "plugins/mssante/mdn.py",
        'f"<mdn.{seed[:32]}@{domain}>"',
        "f\"<mdn.{__import__('uuid').uuid4().hex}@{domain}>\"",
        (f"{MSS_TESTS}/test_mdn.py::test_the_same_receipt_is_the_same_bytes",),
    ),
    Mutation(
        "mdn: an automatic receipt is not marked auto-replied",
        "plugins/mssante/mdn.py",
        "    if not manual:\n",
        "    if manual:\n",
        (f"{MSS_TESTS}/test_mdn.py::test_a_receipt_sent_by_a_user_says_so",),
    ),
    Mutation(
        "xdm: no ratio limit (zip bomb)",
        "plugins/mssante/xdm.py",
        "if info.file_size > RATIO_FLOOR and ratio > max_ratio:",
        "if False:",
        (f"{MSS_TESTS}/test_xdm.py::test_a_zip_bomb_is_refused_before_it_is_inflated",),
    ),
    Mutation(
        "xdm: no limit on the uncompressed total",
        "plugins/mssante/xdm.py",
        "        if total > max_total:\n",
        "        if False:\n",
        (f"{MSS_TESTS}/test_xdm.py::test_a_zip_bomb_is_refused_before_it_is_inflated",),
    ),
    Mutation(
        "xdm: member names may hold ..",
        "plugins/mssante/xdm.py",
        'if any(part in ("", ".", "..") for part in parts):\n        raise UnreadablePackage(f"member name',
        'if False:\n        raise UnreadablePackage(f"member name',
        (f"{MSS_TESTS}/test_xdm.py::test_a_member_name_that_leaves_the_package_is_refused",),
    ),
    Mutation(
        "xdm: member names may hold backslashes",
        "plugins/mssante/xdm.py",
        '    if "\\\\" in name:\n',
        "    if False:\n",
        (f"{MSS_TESTS}/test_xdm.py::test_a_member_name_that_leaves_the_package_is_refused",),
    ),
    Mutation(
        "xdm: absolute member names pass",
        "plugins/mssante/xdm.py",
        '    if name.startswith("/") or ":" in name:\n',
        "    if False:\n",
        (f"{MSS_TESTS}/test_xdm.py::test_a_member_name_that_leaves_the_package_is_refused",),
    ),
    Mutation(
        "xdm: links pass",
        "plugins/mssante/xdm.py",
        "if info.create_system == 3 and kind not in (0, stat.S_IFREG, stat.S_IFDIR):",
        "if False:",
        (f"{MSS_TESTS}/test_xdm.py::test_a_link_is_refused",),
    ),
    Mutation(
        "xdm: encrypted members pass",
        "plugins/mssante/xdm.py",
        "    if info.flag_bits & 0x1:\n",
        "    if False:\n",
        (f"{MSS_TESTS}/test_xdm.py::test_an_encrypted_member_is_refused",),
    ),
    Mutation(
        "xdm: duplicate names pass",
        "plugins/mssante/xdm.py",
        "        if key in seen:\n",
        "        if False:\n",
        (f"{MSS_TESTS}/test_xdm.py::test_duplicate_names_are_refused",),
    ),
    Mutation(
        "xdm: METADATA.XML is not required",
        "plugins/mssante/xdm.py",
        "        if not subsets:\n            raise",
        "        if False:\n            raise",
        (f"{MSS_TESTS}/test_xdm.py::test_missing_metadata_is_refused",),
    ),
    Mutation(
        "xdm: the hash is not checked",
        "plugins/mssante/xdm.py",
        "                if digest != entry.hash.lower():\n",
        "                if False:\n",
        (f"{MSS_TESTS}/test_xdm.py::test_a_document_that_is_not_what_its_entry_says_is_refused",),
    ),
    Mutation(
        "xdm: the size is not checked",
        "plugins/mssante/xdm.py",
        "                if info.file_size != entry.size:\n",
        "                if False:\n",
        (f"{MSS_TESTS}/test_xdm.py::test_a_document_that_is_not_what_its_entry_says_is_refused",),
    ),
    Mutation(
        "xdm: undeclared files pass",
        "plugins/mssante/xdm.py",
        'if key.startswith(f"{ROOT}/") and key not in declared:',
        "if False:",
        (f"{MSS_TESTS}/test_xdm.py::test_a_file_no_entry_declares_is_refused",),
    ),
    Mutation(
        "xdm: an entry's URI may leave the subset",
        "plugins/mssante/xdm.py",
        'if any(part in ("", ".", "..") for part in parts):\n        raise UnreadablePackage(f"document URI',
        'if False:\n        raise UnreadablePackage(f"document URI',
        (f"{MSS_TESTS}/test_xdm.py::test_an_entry_uri_out_of_the_package_is_refused",),
    ),
    Mutation(
        "xdm: two patients in a package pass",
        "plugins/mssante/xdm.py",
        "                elif not _same_patient(patient, identity):\n",
        "                elif False:\n",
        (f"{MSS_TESTS}/test_xdm.py::test_two_patients_in_one_package_are_refused",),
    ),
    Mutation(
        "xdm: zip times are the build's",
        "plugins/mssante/xdm.py",
        "    info = zipfile.ZipInfo(name, date_time=when)\n",
        "    info = zipfile.ZipInfo(name, date_time=__import__('time').localtime()[:6])\n",
        (
            f"{MSS_TESTS}/test_xdm.py::test_the_same_package_is_the_same_bytes_with_times_from_its_date",
        ),
    ),
    Mutation(
        "xdm: compressed content is deflated again",
        "plugins/mssante/xdm.py",
        "info.compress_type = zipfile.ZIP_STORED if compressed else zipfile.ZIP_DEFLATED",
        "info.compress_type = zipfile.ZIP_DEFLATED",
        (f"{MSS_TESTS}/test_xdm.py::test_xml_is_deflated_and_compressed_content_stored",),
    ),
    Mutation(
        "xdm: document names are not 8.3",
        "plugins/mssante/xdm.py",
        '    name = f"DOC{n:05d}.XML"\n',
        '    name = f"Document{n:02d}.xml"\n',
        (f"{MSS_TESTS}/test_xdm.py::test_the_layout_is_the_ihe_xdm_one",),
    ),
    Mutation(
        "xdm: README.TXT does not name the software",
        "plugins/mssante/xdm.py",
        '        f"Logiciel : {SOFTWARE}",\n',
        "",
        (f"{MSS_TESTS}/test_xdm.py::test_readme_says_who_made_it_and_with_what",),
    ),
    Mutation(
        "xdm: INDEX.HTM links outside the subset",
        "plugins/mssante/xdm.py",
        '<li><a href="{ROOT}/{SUBSET}/{document_name(n)}">',
        '<li><a href="{document_name(n)}">',
        (f"{MSS_TESTS}/test_xdm.py::test_index_links_every_document",),
    ),
    Mutation(
        "xdm: documents get no biology flags",
        "plugins/mssante/xdm.py",
        "                        flags=_flags(content, media_type),\n",
        "                        flags={},\n",
        (f"{MSS_TESTS}/test_xdm.py::test_cr_bio_examples_inside_a_package_get_their_flags",),
    ),
    Mutation(
        "xdm: traits are not completed from the CDA",
        "plugins/mssante/xdm.py",
        '            patient["traits"].setdefault(key, value)\n',
        "            pass\n",
        (f"{MSS_TESTS}/test_xdm.py::test_traits_missing_from_the_metadata_come_from_the_cda",),
    ),
    Mutation(
        "message: the birth date is ISO in the subject",
        "plugins/mssante/message.py",
        'f"{day}/{month}/{year}"]',
        "patient.birth_date]",
        (
            f"{MSS_TESTS}/test_message.py::test_a_message_round_trips_with_patient_documents_flags_and_headers",
        ),
    ),
    Mutation(
        "message: X-MSS-CODECDA holds one code",
        "plugins/mssante/message.py",
        'root["X-MSS-CODECDA"] = ",".join(prepared.codes)',
        'root["X-MSS-CODECDA"] = prepared.codes[0]',
        (
            f"{MSS_TESTS}/test_message.py::test_a_message_round_trips_with_patient_documents_flags_and_headers",
        ),
    ),
    Mutation(
        "message: document headers without documents",
        "plugins/mssante/message.py",
        "    if prepared.xdm:\n        label =",
        "    if True:\n        label =",
        (
            f"{MSS_TESTS}/test_message.py::test_a_message_without_documents_has_no_package_and_no_document_headers",
        ),
    ),
    Mutation(
        "message: X-MSS-INS always N",
        "plugins/mssante/message.py",
        'root["X-MSS-INS"] = "O" if ins_qualified(o.patient) else "N"',
        'root["X-MSS-INS"] = "N"',
        (
            f"{MSS_TESTS}/test_message.py::test_a_message_round_trips_with_patient_documents_flags_and_headers",
        ),
    ),
    Mutation(
        "message: any OID qualifies an INS",
        "plugins/mssante/message.py",
        "        and patient.ins_oid in INS_OIDS\n",
        "",
        (
            f"{MSS_TESTS}/test_message.py::test_an_identity_without_ins_traits_is_announced_unqualified",
        ),
    ),
    Mutation(
        "message: X-MSS-MES to professionals too",
        "plugins/mssante/message.py",
        "    if o.block_patient_reply and to_patient:\n",
        "    if o.block_patient_reply:\n",
        (f"{MSS_TESTS}/test_message.py::test_software_reference_and_blocked_patient_reply",),
    ),
    Mutation(
        "message: a receipt is always asked",
        "plugins/mssante/message.py",
        "    if o.request_receipt:\n",
        "    if True:\n",
        (f"{MSS_TESTS}/test_message.py::test_receipt_is_asked_only_when_wanted",),
    ),
    Mutation(
        "message: random boundaries",
        "plugins/mssante/message.py",
        'f"=_mix_{seed[24:48]}"',
        "f\"=_mix_{__import__('uuid').uuid4().hex}\"",
        (f"{MSS_TESTS}/test_message.py::test_the_same_message_is_the_same_bytes",),
    ),
    Mutation(
        "message: a PDF's CDA is not declared a PDF level 1",
        "plugins/mssante/message.py",
        '                    LEVEL1_FORMATS["application/pdf"],\n                    unique_id,',
        '                    LEVEL1_FORMATS["text/plain"],\n                    unique_id,',
        (
            f"{MSS_TESTS}/test_message.py::test_a_pdf_alone_travels_in_a_level_1_cda_and_as_a_rendering",
        ),
    ),
    Mutation(
        "message: a PDF is not attached as its rendering",
        "plugins/mssante/message.py",
        "            prepared.renderings.append((pdf_filename(o.date, doc.title, o.patient), doc.content))\n",
        "",
        (
            f"{MSS_TESTS}/test_message.py::test_a_pdf_alone_travels_in_a_level_1_cda_and_as_a_rendering",
        ),
    ),
    Mutation(
        "message: a CDA about another patient is sent",
        "plugins/mssante/message.py",
        "            if problems:\n",
        "            if False:\n",
        (f"{MSS_TESTS}/test_message.py::test_a_cda_about_another_patient_is_refused",),
    ),
    Mutation(
        "message: a CDA's code is not its type",
        "plugins/mssante/message.py",
        "            if code_value != doc.type_code:\n",
        "            if False:\n",
        (f"{MSS_TESTS}/test_message.py::test_a_cda_whose_code_is_not_its_type_is_refused",),
    ),
    Mutation(
        "message: the subject label is not checked",
        "plugins/mssante/message.py",
        '    _line(o.subject_label, "subject_label")\n',
        "",
        (f"{MSS_TESTS}/test_message.py::test_bad_fields_are_refused_by_name",),
    ),
    Mutation(
        "message: a refused package is not said",
        "plugins/mssante/message.py",
        '            received.package_error = f"unreadable package: {exc.reason}"\n',
        "            pass\n",
        (
            f"{MSS_TESTS}/test_message.py::test_a_refused_package_leaves_the_message_kept_and_says_why",
        ),
    ),
    Mutation(
        "message: nesting is not bounded",
        "plugins/mssante/message.py",
        "    if multiparts > MAX_MULTIPARTS:\n",
        "    if False:\n",
        (f"{MSS_TESTS}/test_message.py::test_a_message_nested_beyond_reason_keeps_its_headers",),
    ),
    Mutation(
        "message: received file names keep their folders",
        "plugins/mssante/message.py",
        '    name = _CONTROL.sub("", name.replace("\\\\", "/").rsplit("/", 1)[-1]).strip()\n',
        "",
        (f"{MSS_TESTS}/test_message.py::test_file_names_are_decoded_and_stripped_of_folders",),
    ),
    Mutation(
        "message: a returned original is opened",
        "plugins/mssante/message.py",
        '    if part.get_content_maintype() == "multipart" and part.is_multipart():\n',
        "    if part.is_multipart():\n",
        (f"{MSS_TESTS}/test_message.py::test_a_received_mdn_is_read_as_a_report",),
    ),
    Mutation(
        "message: a CR-BIO's PDF copy is not attached",
        "plugins/mssante/message.py",
        "            if pdf is not None:\n",
        "            if False:\n",
        (
            f"{MSS_TESTS}/test_message.py::test_a_message_round_trips_with_patient_documents_flags_and_headers",
        ),
    ),
    Mutation(
        "message: a CDA's given rendering is ignored",
        "plugins/mssante/message.py",
        "pdf = doc.rendering if doc.rendering is not None else pdf_rendering(root)",
        "pdf = pdf_rendering(root)",
        (
            f"{MSS_TESTS}/test_message.py::test_a_cda_given_with_its_rendering_travels_with_that_pdf",
        ),
    ),
    # --- issue 12: the MSSanté simulator -----------------------------------------------------
    Mutation(
        "mss sim: smtp-starttls-required",
        "plugins/mssante/sim_smtp.py",
        "require_starttls=True,",
        "require_starttls=False,",
        (SIM_T + "test_nothing_before_starttls",),
    ),
    Mutation(
        "mss sim: smtp-client-cert",
        "plugins/mssante/sim_smtp.py",
        'return bool(session.ssl and session.ssl.get("peercert"))',
        "return True",
        (SIM_T + "test_no_client_certificate_is_refused",),
    ),
    Mutation(
        "mss sim: imap-client-cert",
        "plugins/mssante/sim_imap.py",
        'if not self.writer.get_extra_info("peercert"):',
        "if False:",
        (SIM_T + "test_no_client_certificate_is_refused",),
    ),
    Mutation(
        "mss sim: tls-verify-ca",
        "plugins/mssante/simulator.py",
        "context.verify_mode = ssl.CERT_OPTIONAL",
        "context.verify_mode = ssl.CERT_NONE",
        (SIM_T + "test_certificate_of_another_ca_fails_the_handshake",),
    ),
    Mutation(
        "mss sim: password-check",
        "plugins/mssante/simulator.py",
        "if address in self.mailboxes and password == self.mail_password:",
        "if address in self.mailboxes:",
        (SIM_T + "test_wrong_password_is_refused",),
    ),
    Mutation(
        "mss sim: unknown-recipient",
        "plugins/mssante/sim_smtp.py",
        "if not self.postmaster.hosts(address):",
        "if False:",
        (SIM_T + "test_unknown_recipient_gets_550",),
    ),
    Mutation(
        "mss sim: hosted-sender",
        "plugins/mssante/sim_smtp.py",
        "if address and not self.postmaster.hosts(address):",
        "if False:",
        (SIM_T + "test_sender_must_be_a_hosted_mailbox",),
    ),
    Mutation(
        "mss sim: size-limit",
        "plugins/mssante/sim_smtp.py",
        "data_size_limit=self.max_message_bytes,",
        "data_size_limit=None,",
        (SIM_T + "test_oversized_message_gets_552",),
    ),
    Mutation(
        "mss sim: append-limit",
        "plugins/mssante/sim_imap.py",
        "if size > self.server.max_message_bytes:",
        "if False:",
        (SIM_T + "test_append_over_the_limit_is_refused",),
    ),
    Mutation(
        "mss sim: delivery",
        "plugins/mssante/simulator.py",
        "self._store(recipient, _trace(sender, recipient, helo) + raw)",
        "pass",
        (SIM_T + "test_sent_message_lands_in_the_inbox_and_imap_serves_it",),
    ),
    Mutation(
        "mss sim: uidvalidity-persisted",
        "plugins/mssante/maildir.py",
        "if row is None or fresh:",
        "if True:",
        (SIM_T + "test_flags_uids_and_uidvalidity_survive_a_restart",),
    ),
    Mutation(
        "mss sim: uids-never-reused",
        "plugins/mssante/maildir.py",
        "        uid = self._uidnext()\n",
        '        uid = 1 + (db.execute("SELECT max(uid) FROM uids").fetchone()[0] or 0)\n',
        (SIM_T + "test_flags_uids_and_uidvalidity_survive_a_restart",),
    ),
    Mutation(
        "mss sim: flags-in-maildir-info",
        "plugins/mssante/maildir.py",
        'letters = "".join(sorted(FLAG_LETTERS[f] for f in flags))',
        'letters = ""',
        (SIM_T + "test_flags_uids_and_uidvalidity_survive_a_restart",),
    ),
    Mutation(
        "mss sim: search-unseen",
        "plugins/mssante/sim_imap.py",
        '"UNSEEN": lambda c: "\\\\Seen" not in c.flags,',
        '"UNSEEN": lambda c: True,',
        (SIM_T + "test_sent_message_lands_in_the_inbox_and_imap_serves_it",),
    ),
    Mutation(
        "mss sim: fetch-sets-seen",
        "plugins/mssante/sim_imap.py",
        "parsed.append(FetchItem(upper, peek=False))",
        "parsed.append(FetchItem(upper, peek=True))",
        (SIM_T + "test_sent_message_lands_in_the_inbox_and_imap_serves_it",),
    ),
    Mutation(
        "mss sim: uid-range-star",
        "plugins/mssante/sim_imap.py",
        "ranges.append((min(a, b), max(a, b)))",
        "ranges.append((a, b))",
        (SIM_T + "test_uid_range_to_star_always_takes_the_last_message",),
    ),
    Mutation(
        "mss sim: append-flags",
        "plugins/mssante/sim_imap.py",
        "uid = folder.add(message, flags, date)",
        "uid = folder.add(message, frozenset(), date)",
        (SIM_T + "test_append_to_sent",),
    ),
    Mutation(
        "mss sim: append-trycreate",
        "plugins/mssante/sim_imap.py",
        'raise No("Mailbox doesn\'t exist: create it first", "TRYCREATE")',
        'raise No("Mailbox doesn\'t exist: create it first", "NONEXISTENT")',
        (SIM_T + "test_append_to_sent",),
    ),
    Mutation(
        "mss sim: appenduid",
        "plugins/mssante/sim_imap.py",
        'return f"OK [APPENDUID {folder.uidvalidity} {uid}] APPEND completed"',
        'return "OK APPEND completed"',
        (SIM_T + "test_append_to_sent",),
    ),
    Mutation(
        "mss sim: idle-wakes-on-delivery",
        "plugins/mssante/maildir.py",
        "        self.store.changed(self.address, self.name)\n        return uid\n",
        "        return uid\n",
        (SIM_T + "test_idle_hears_of_mail_sent_by_smtp",),
    ),
    Mutation(
        "mss sim: idle-flag-changes",
        "plugins/mssante/sim_imap.py",
        "if uid in current and uid not in fresh and current[uid].flags != self.known_flags[uid]:",
        "if False:",
        (SIM_T + "test_idle_hears_of_deliver_incoming_and_of_another_session",),
    ),
    Mutation(
        "mss sim: expunge-reported",
        "plugins/mssante/sim_imap.py",
        'await self.untagged(f"{seq} EXPUNGE")',
        "pass",
        (SIM_T + "test_flags_uids_and_uidvalidity_survive_a_restart",),
    ),
    Mutation(
        "mss sim: mdn-auto-receipt",
        "plugins/mssante/simulator.py",
        "if mailbox.auto_receipt:",
        "if False:",
        (SIM_T + "test_a_mailbox_with_auto_receipt_sends_an_mdn",),
    ),
    Mutation(
        "mss sim: mdn-error",
        "plugins/mssante/simulator.py",
        "if mailbox.receipt_error is None:",
        "if True:",
        (SIM_T + "test_a_failing_integration_answers_processed_error",),
    ),
    Mutation(
        "mss sim: mdn-only-to-sender",
        "plugins/mssante/simulator.py",
        "if not sender or receipt_to.lower() != sender.lower():",
        "if not sender:",
        (SIM_T + "test_no_mdn_unless_asked_by_the_sender_of_a_mailbox_that_sends_them",),
    ),
    Mutation(
        "mss sim: mdn-null-return-path",
        "plugins/mssante/simulator.py",
        'self._store(receipt_to, _trace("", receipt_to, HOSTNAME) + mdn)',
        "self._store(receipt_to, _trace(mailbox.address, receipt_to, HOSTNAME) + mdn)",
        (SIM_T + "test_a_mailbox_with_auto_receipt_sends_an_mdn",),
    ),
    Mutation(
        "mss sim: smtp-outage",
        "plugins/mssante/sim_smtp.py",
        "        if self.faults.outage:\n            return _Outage()",
        "        if False:\n            return _Outage()",
        (SIM_T + "test_outage_answers_421_and_bye",),
    ),
    Mutation(
        "mss sim: imap-outage",
        "plugins/mssante/sim_imap.py",
        '            if self.server.faults.outage:\n                await self.untagged("BYE [UNAVAILABLE]',
        '            if False:\n                await self.untagged("BYE [UNAVAILABLE]',
        (SIM_T + "test_outage_answers_421_and_bye",),
    ),
    Mutation(
        "mss sim: smtp-error-rate",
        "plugins/mssante/sim_smtp.py",
        "if self.faults.error_rate and self.faults.random.random() < self.faults.error_rate:",
        "if False:",
        (SIM_T + "test_error_rate_answers_temporary_failures",),
    ),
    Mutation(
        "mss sim: imap-error-rate",
        "plugins/mssante/sim_imap.py",
        'raise No("Temporary failure, try again later", "UNAVAILABLE")',
        "pass",
        (SIM_T + "test_error_rate_answers_temporary_failures",),
    ),
    Mutation(
        "mss sim: imap-logindisabled",
        "plugins/mssante/sim_imap.py",
        '        if not self.tls:\n            raise No("Log in after STARTTLS',
        '        if False:\n            raise No("Log in after STARTTLS',
        (SIM_T + "test_nothing_before_starttls",),
    ),
    Mutation(
        "mss sim: imap-bad-unknown-command",
        "plugins/mssante/sim_imap.py",
        'raise Bad(f"Unknown command {name}")',
        'raise No(f"Unknown command {name}")',
        (SIM_T + "test_syntax_errors_are_bad_and_failures_no",),
    ),
    Mutation(
        "mss sim: recipients-once",
        "plugins/mssante/simulator.py",
        "unique = list(dict.fromkeys(r.strip().lower() for r in recipients))",
        "unique = [r.strip().lower() for r in recipients]",
        (SIM_T + "test_several_recipients_each_get_a_copy",),
    ),
    Mutation(
        "mss sim: delete-new-uidvalidity",
        "plugins/mssante/maildir.py",
        "return Folder(self, address, name, path, fresh=True)",
        "return Folder(self, address, name, path)",
        (SIM_T + "test_append_to_sent",),
    ),
    # --- issue 12: the MSSanté mail client, store and poller ----------------------------------
    Mutation(
        "mss client: smtp-opportunistic-starttls",
        "plugins/mssante/smtp.py",
        '            if not client.supports_extension("starttls"):\n                raise InsecureServer(\n                    0, "the server does not offer STARTTLS: not sending in clear", permanent=True\n                )\n            await client.starttls()',
        '            if client.supports_extension("starttls"):\n                await client.starttls()',
        ("tests/plugins/mssante/test_smtp_client.py::test_refuses_to_send_in_clear",),
    ),
    Mutation(
        "mss client: smtp-4xx-permanent",
        "plugins/mssante/smtp.py",
        "permanent=exc.code >= 500",
        "permanent=exc.code >= 400",
        ("tests/plugins/mssante/test_smtp_client.py::test_a_4xx_answer_to_the_data_is_transient",),
    ),
    Mutation(
        "mss client: smtp-partial-recipients-sent",
        "plugins/mssante/smtp.py",
        "        if refused:\n            await client.rset()",
        "        if len(refused) == len(recipients):\n            await client.rset()",
        (
            "tests/plugins/mssante/test_smtp_client.py::test_a_5xx_recipient_is_permanent_and_nobody_gets_the_message",
        ),
    ),
    Mutation(
        "mss client: smtp-mixed-refusals-transient",
        "plugins/mssante/smtp.py",
        "permanent = any(code >= 500 for code, _ in refused.values())",
        "permanent = all(code >= 500 for code, _ in refused.values())",
        (
            "tests/plugins/mssante/test_smtp_client.py::test_a_5xx_among_4xx_recipients_is_permanent",
        ),
    ),
    Mutation(
        "mss client: smtp-no-client-certificate",
        "plugins/mssante/smtp.py",
        "        tls_context=ssl_context,\n",
        "        tls_context=None,\n",
        (
            "tests/plugins/mssante/test_smtp_client.py::test_sends_over_starttls_with_the_client_certificate",
        ),
    ),
    Mutation(
        "mss client: smtp-size-ignored",
        "plugins/mssante/smtp.py",
        "    if limit.isdigit() and int(limit) and len(message) > int(limit):",
        "    if False:",
        (
            "tests/plugins/mssante/test_smtp_client.py::test_a_message_over_the_announced_size_is_not_sent",
        ),
    ),
    Mutation(
        "mss client: imap-starttls-optional",
        "plugins/mssante/imap.py",
        '                if "STARTTLS" not in self.capabilities:',
        "                if False:",
        ("tests/plugins/mssante/test_imap_client.py::test_no_starttls_means_nothing_is_sent",),
    ),
    Mutation(
        "mss client: imap-clear-bytes-after-starttls",
        "plugins/mssante/imap.py",
        "        if self._reader._buffer:",
        "        if False:",
        (
            "tests/plugins/mssante/test_imap_client.py::test_bytes_injected_in_clear_after_starttls_are_refused",
        ),
    ),
    Mutation(
        "mss client: imap-fetch-marks-seen",
        "plugins/mssante/imap.py",
        'items = "(UID FLAGS BODY.PEEK[])" if body',
        'items = "(UID FLAGS BODY[])" if body',
        ("tests/plugins/mssante/test_imap_client.py::test_append_search_fetch_store",),
    ),
    Mutation(
        "mss client: imap-literal-not-read",
        "plugins/mssante/imap.py",
        "                    chunks.append(await reader.readexactly(size))",
        "                    chunks.append(await reader.readline())",
        ("tests/plugins/mssante/test_imap_client.py::test_append_search_fetch_store",),
    ),
    Mutation(
        "mss client: imap-literal-plus-always",
        "plugins/mssante/imap.py",
        '                        plus = "LITERAL+" in self.capabilities',
        "                        plus = True",
        (
            "tests/plugins/mssante/test_imap_client.py::test_synchronising_literals_without_literal_plus",
        ),
    ),
    Mutation(
        "mss client: imap-idle-not-woken",
        "plugins/mssante/imap.py",
        '                    if r.tag == "*" and r.kind in CHANGES:\n                        break',
        "                    if False:\n                        break",
        (
            "tests/plugins/mssante/test_imap_client.py::test_idle_wakes_up_when_another_connection_appends",
        ),
    ),
    Mutation(
        "mss client: imap-no-done",
        "plugins/mssante/imap.py",
        '                writer.write(b"DONE\\r\\n")',
        '                writer.write(b"")',
        (
            "tests/plugins/mssante/test_imap_client.py::test_idle_wakes_up_when_another_connection_appends",
        ),
    ),
    Mutation(
        "mss client: imap-no-ignored",
        "plugins/mssante/imap.py",
        "            raise ImapError(command, done.kind, done.text, done.code)",
        "            return",
        ("tests/plugins/mssante/test_imap_client.py::test_commands_refused_by_the_server",),
    ),
    Mutation(
        "mss client: imap-uidvalidity-ignored",
        "plugins/mssante/imap.py",
        '                uidvalidity = _number(r.code_data, "UIDVALIDITY")',
        "                uidvalidity = 1",
        (
            "tests/plugins/mssante/test_imap_client.py::test_a_new_uidvalidity_fetches_everything_again",
        ),
    ),
    Mutation(
        "mss client: imap-cancelled-idle-kept",
        "plugins/mssante/imap.py",
        "                await self.close()  # the server may still be idling: the session is lost",
        "                pass",
        ("tests/plugins/mssante/test_imap_client.py::test_a_cancelled_idle_closes_the_connection",),
    ),
    Mutation(
        "mss client: poller-seen-before-store",
        "plugins/mssante/poller.py",
        "            message = await _store(store, parse, mailbox, box.uidvalidity, fetched.uid, fetched.raw)\n            # Committed: now, and only now, the server may consider it taken.\n            await client.uid_store([fetched.uid], [SEEN])",
        "            await client.uid_store([fetched.uid], [SEEN])\n            message = await _store(store, parse, mailbox, box.uidvalidity, fetched.uid, fetched.raw)",
        (
            "tests/plugins/mssante/test_imap_client.py::test_poller_stores_then_marks_seen",
            "tests/plugins/mssante/test_imap_client.py::test_a_store_failing_once_loses_nothing",
        ),
    ),
    Mutation(
        "mss client: poller-star-not-filtered",
        "plugins/mssante/poller.py",
        '    uids = [uid for uid in await client.uid_search(f"UID {last + 1}:*") if uid > last]',
        '    uids = await client.uid_search(f"UID {last + 1}:*")',
        ("tests/plugins/mssante/test_imap_client.py::test_poller_stores_then_marks_seen",),
    ),
    Mutation(
        "mss client: poller-restarts-from-zero",
        "plugins/mssante/poller.py",
        "    last = store.last_uid(mailbox, box.uidvalidity)",
        "    last = 0",
        (
            "tests/plugins/mssante/test_imap_client.py::test_poller_resumes_from_the_last_uid_after_a_restart",
        ),
    ),
    Mutation(
        "mss client: poller-parse-error-kept-at-once",
        "plugins/mssante/poller.py",
        "        if attempts < MAX_PARSE_ATTEMPTS:",
        "        if False:",
        ("tests/plugins/mssante/test_imap_client.py::test_a_parser_failing_once_loses_nothing",),
    ),
    Mutation(
        "mss client: poller-parse-error-blocks-forever",
        "plugins/mssante/poller.py",
        "        if attempts < MAX_PARSE_ATTEMPTS:",
        "        if True:",
        (
            "tests/plugins/mssante/test_imap_client.py::test_a_message_the_parser_always_fails_on_is_kept_unparsed",
        ),
    ),
    Mutation(
        "mss client: poller-no-reconnect",
        "plugins/mssante/poller.py",
        "        await asyncio.sleep(delay)\n        delay = min(delay * 2, backoff[1])",
        "        return",
        ("tests/plugins/mssante/test_imap_client.py::test_run_idles_reconnects_and_stops",),
    ),
    Mutation(
        "mss client: poller-never-idles",
        "plugins/mssante/poller.py",
        '                if "IDLE" in client.capabilities:',
        "                if False:",
        ("tests/plugins/mssante/test_imap_client.py::test_run_idles_reconnects_and_stops",),
    ),
    Mutation(
        "mss client: poller-idle-unbounded",
        "plugins/mssante/poller.py",
        "    idle_max = min(idle_max, IDLE_MAX)\n",
        "",
        ("tests/plugins/mssante/test_imap_client.py::test_run_idles_reconnects_and_stops",),
    ),
    Mutation(
        "mss client: poller-swallows-cancel",
        "plugins/mssante/poller.py",
        "        except asyncio.CancelledError:\n            raise",
        "        except asyncio.CancelledError:\n            return",
        ("tests/plugins/mssante/test_imap_client.py::test_run_polls_at_an_interval_without_idle",),
    ),
    Mutation(
        "mss client: mailstore-not-idempotent",
        "plugins/mssante/mailstore.py",
        "    if found is not None:\n        return found[0], False",
        "    if False:\n        return found[0], False",
        ("tests/plugins/mssante/test_mailstore.py::test_storing_twice_is_idempotent",),
    ),
    Mutation(
        "mss client: mailstore-uidvalidity-ignored",
        "plugins/mssante/mailstore.py",
        '"SELECT MAX(uid) FROM received WHERE mailbox = ? AND uidvalidity = ?"',
        '"SELECT MAX(uid) FROM received WHERE mailbox = ? AND ? > 0"',
        (
            "tests/plugins/mssante/test_mailstore.py::test_storing_twice_is_idempotent",
            "tests/plugins/mssante/test_imap_client.py::test_a_new_uidvalidity_fetches_everything_again",
        ),
    ),
    Mutation(
        "mss client: mailstore-patient-filter",
        "plugins/mssante/mailstore.py",
        '            where.append("patient_ins = ?")',
        '            where.append("patient_ins != ?")',
        ("tests/plugins/mssante/test_mailstore.py::test_filters",),
    ),
    Mutation(
        "mss client: mailstore-critical-filter",
        "plugins/mssante/mailstore.py",
        "            args.append(int(critical))",
        "            args.append(1)",
        ("tests/plugins/mssante/test_mailstore.py::test_filters",),
    ),
    Mutation(
        "mss client: mailstore-from-excluded",
        "plugins/mssante/mailstore.py",
        '            where.append("received_at >= ?")',
        '            where.append("received_at > ?")',
        ("tests/plugins/mssante/test_mailstore.py::test_filters",),
    ),
    Mutation(
        "mss client: mailstore-oldest-first",
        "plugins/mssante/mailstore.py",
        ' ORDER BY id DESC LIMIT ?"',
        ' ORDER BY id LIMIT ?"',
        ("tests/plugins/mssante/test_mailstore.py::test_filters",),
    ),
    Mutation(
        "mss client: mailstore-pages-overlap",
        "plugins/mssante/mailstore.py",
        '            where.append("id < ?")',
        '            where.append("id <= ?")',
        ("tests/plugins/mssante/test_mailstore.py::test_pages",),
    ),
    Mutation(
        "mss client: mailstore-read-flag-inverted",
        "plugins/mssante/mailstore.py",
        "[int(not read), id]",
        "[int(read), id]",
        ("tests/plugins/mssante/test_mailstore.py::test_filters",),
    ),
    Mutation(
        "mss client: mailstore-document-bytes-in-json",
        "plugins/mssante/mailstore.py",
        '            content = entry.pop("content", None)',
        '            content = entry.get("content", None)',
        ("tests/plugins/mssante/test_mailstore.py::test_columns_documents_and_flags",),
    ),
    Mutation(
        "mss client: mailstore-flags-last-document-wins",
        "plugins/mssante/mailstore.py",
        "                flags[flag] |= bool(",
        "                flags[flag] = bool(",
        ("tests/plugins/mssante/test_mailstore.py::test_columns_documents_and_flags",),
    ),
    Mutation(
        "mss client: mailstore-mdn-error-ignored",
        "plugins/mssante/mailstore.py",
        "    if errors:\n        first = errors[0]",
        "    if False:\n        first = errors[0]",
        ("tests/plugins/mssante/test_mailstore.py::test_sent_message_and_its_receipts",),
    ),
    Mutation(
        "mss client: mailstore-first-receipt-completes",
        "plugins/mssante/mailstore.py",
        "    elif len(receipts) >= len(wanted):",
        "    elif receipts:",
        ("tests/plugins/mssante/test_mailstore.py::test_sent_message_and_its_receipts",),
    ),
    # --- issue 12: the MSSanté plugin in the daemon ---------------------------------------------
    Mutation(
        "mss api: a patient's mailbox of another patient accepted",
        "plugins/mssante/api.py",
        "            if domain.lower() == PATIENT_DOMAIN and local != ins:",
        "            if False:",
        (f"{MSS_D}::test_bad_messages_are_refused_naming_the_field",),
    ),
    Mutation(
        "mss api: the builder's refusal named at the root",
        "plugins/mssante/api.py",
        '        raise validation_problem([_field_error(exc, body["documents"])]) from None',
        '        raise validation_problem([FieldError("/", str(exc))]) from None',
        (f"{MSS_D}::test_a_cda_about_another_patient_is_refused",),
    ),
    Mutation(
        "mss delivery: the message sent is not recorded",
        "plugins/mssante/delivery.py",
        "        await store.record_sent(",
        "        False and await store.record_sent(",
        (f"{MSS_D}::test_a_receipt_in_error_names_the_code",),
    ),
    Mutation(
        "mss delivery: no copy in Sent",
        "plugins/mssante/delivery.py",
        '        result["sent_folder"] = await _keep_copy(service, raw)',
        '        result["sent_folder"] = None',
        (f"{MSS_D}::test_a_letter_reaches_a_colleague_and_their_receipt_comes_back",),
    ),
    Mutation(
        "mss delivery: an SMTP refusal always retried",
        "plugins/mssante/delivery.py",
        "transient=not exc.permanent) from None",
        "transient=True) from None",
        (f"{MSS_D}::test_an_unknown_recipient_fails_the_item_at_once",),
    ),
    Mutation(
        "mss inbox: no critical event",
        "plugins/mssante/inbox.py",
        "    if message.critical:\n        daemon.publish(",
        "    if False:\n        daemon.publish(",
        (f"{MSS_D}::test_a_critical_biology_result_is_flagged_and_announced",),
    ),
    Mutation(
        "mss inbox: receipts not matched to the message sent",
        "plugins/mssante/inbox.py",
        "    if message.is_report:\n        await _receipt(daemon, store, message)\n        return\n",
        "",
        (f"{MSS_D}::test_a_receipt_in_error_names_the_code",),
    ),
    Mutation(
        "mss inbox: the package's patient not kept",
        "plugins/mssante/inbox.py",
        '        "patient": package.patient if package else None,',
        '        "patient": None,',
        (
            f"{MSS_D}::test_a_letter_reaches_a_colleague_and_their_receipt_comes_back",
            f"{MSS_D}::test_a_critical_biology_result_is_flagged_and_announced",
        ),
    ),
    Mutation(
        "mss api: a second receipt for one message",
        "plugins/mssante/api.py",
        "    if message.ack is not None:",
        "    if False:",
        (f"{MSS_D}::test_acknowledging_a_report_sends_the_lab_an_mdn",),
    ),
    Mutation(
        "mss api: the receipt's error dropped",
        "plugins/mssante/api.py",
        '        error=(error["code"], error["label"]) if error else None,',
        "        error=None,",
        (f"{MSS_D}::test_acknowledging_a_report_sends_the_lab_an_mdn",),
    ),
    Mutation(
        "mss health: an inbox that cannot be read is up",
        "plugins/mssante/plugin.py",
        "    if status is not None and not status.connected and status.last_error:",
        "    if False:",
        (f"{MSS_D}::test_health_says_when_the_inbox_cannot_be_read",),
    ),
    # --- issue 12: the MSSanté directory and plugin commands ----------------------------------
    Mutation(
        "directory: a row with the wrong column count is imported",
        "plugins/mssante/directory.py",
        '            return _bad(report, number, f"{len(fields)} columns, expected {COLUMN_COUNT}")',
        "            pass",
        (
            "tests/plugins/mssante/test_directory.py::test_bad_rows_are_counted_and_reported_not_fatal",
        ),
    ),
    Mutation(
        "directory: a row without a mailbox address is imported",
        "plugins/mssante/directory.py",
        "    if not address or address.isspace():",
        "    if False:",
        (
            "tests/plugins/mssante/test_directory.py::test_bad_rows_are_counted_and_reported_not_fatal",
        ),
    ),
    Mutation(
        "directory: a line that is not UTF-8 is imported with replacement characters",
        "plugins/mssante/directory.py",
        '        line = raw.decode().rstrip("\\r\\n")',
        '        line = raw.decode(errors="replace").rstrip("\\r\\n")',
        (
            "tests/plugins/mssante/test_directory.py::test_bad_rows_are_counted_and_reported_not_fatal",
        ),
    ),
    Mutation(
        "directory: the import writes over the live directory",
        "plugins/mssante/directory.py",
        '    building = data_dir / f"{DB_NAME}.importing"',
        "    building = data_dir / DB_NAME",
        (
            "tests/plugins/mssante/test_directory.py::test_a_failing_import_leaves_the_old_directory_intact",
            "tests/plugins/mssante/test_directory.py::test_an_interrupted_import_leaves_the_old_directory_intact",
        ),
    ),
    Mutation(
        "directory: a failed import leaves its half-built file",
        "plugins/mssante/directory.py",
        "        except BaseException:\n            building.unlink(missing_ok=True)\n            raise",
        "        except BaseException:\n            raise",
        (
            "tests/plugins/mssante/test_directory.py::test_a_failing_import_leaves_the_old_directory_intact",
            "tests/plugins/mssante/test_directory.py::test_an_interrupted_import_leaves_the_old_directory_intact",
        ),
    ),
    Mutation(
        "directory: a zip is read as text",
        "plugins/mssante/directory.py",
        "        if not zipfile.is_zipfile(source):",
        "        if True:",
        ("tests/plugins/mssante/test_directory.py::test_a_zip_is_read_as_its_txt",),
    ),
    Mutation(
        "directory: the header is not checked",
        "plugins/mssante/directory.py",
        "    _check_header(header)\n",
        "    pass\n",
        (
            "tests/plugins/mssante/test_directory.py::test_a_file_that_is_not_an_extraction_is_refused",
        ),
    ),
    Mutation(
        "directory: a trailing '|' makes every row bad",
        "plugins/mssante/directory.py",
        "        if len(fields) == COLUMN_COUNT + 1 and not fields[-1]:",
        "        if False:",
        ("tests/plugins/mssante/test_directory.py::test_the_published_variants_of_the_layout",),
    ),
    Mutation(
        "directory: the user's words reach FTS5 unquoted",
        "plugins/mssante/directory.py",
        '    prefixes = " ".join(f\'"{word}"*\' for word in words)',
        "    prefixes = \" \".join(f'{word}*' for word in words)",
        ("tests/plugins/mssante/test_directory.py::test_fts_syntax_in_the_query_is_plain_text",),
    ),
    Mutation(
        "directory: words must match whole, not as prefixes",
        "plugins/mssante/directory.py",
        '    prefixes = " ".join(f\'"{word}"*\' for word in words)',
        '    prefixes = " ".join(f\'"{word}"\' for word in words)',
        (
            "tests/plugins/mssante/test_directory.py::test_search_finds_each_word_as_a_prefix_in_any_order_accents_and_case_aside",
        ),
    ),
    Mutation(
        "directory: accents count in the search",
        "plugins/mssante/directory.py",
        "tokenize='unicode61 remove_diacritics 2'",
        "tokenize='unicode61 remove_diacritics 0'",
        (
            "tests/plugins/mssante/test_directory.py::test_search_finds_each_word_as_a_prefix_in_any_order_accents_and_case_aside",
        ),
    ),
    Mutation(
        "directory: the city is not searched",
        "plugins/mssante/directory.py",
        'SEARCHED = ("family", "given", "structure_name", "service", "city", "profession")',
        'SEARCHED = ("family", "given", "structure_name", "service", "profession")',
        (
            "tests/plugins/mssante/test_directory.py::test_search_finds_each_word_as_a_prefix_in_any_order_accents_and_case_aside",
        ),
    ),
    Mutation(
        "directory: the rpps filter is ignored",
        "plugins/mssante/directory.py",
        "        where.append(\"e.rpps = ? AND e.rpps <> ''\")\n        args.append(rpps)",
        "        pass",
        ("tests/plugins/mssante/test_directory.py::test_exact_filters",),
    ),
    Mutation(
        "directory: q also searches the postcode",
        "plugins/mssante/directory.py",
        '    return f"{_SEARCHED_FILTER}: ({prefixes})"',
        "    return prefixes",
        ("tests/plugins/mssante/test_directory.py::test_exact_filters",),
    ),
    Mutation(
        "directory: the postcode filter is ignored",
        "plugins/mssante/directory.py",
        "        matches.append(f'{{postcode}}: \"{postcode}\"')",
        "        pass",
        ("tests/plugins/mssante/test_directory.py::test_exact_filters",),
    ),
    Mutation(
        "directory: a postcode reaches FTS5 unchecked",
        "plugins/mssante/directory.py",
        "    if postcode is not None and not _WORD.fullmatch(postcode):",
        "    if False:",
        ("tests/plugins/mssante/test_directory.py::test_limit_and_bad_criteria",),
    ),
    Mutation(
        "directory: a profession is found by its code only",
        "plugins/mssante/directory.py",
        "    codes = {code for code, label in known if profession == code or _folded(label) == wanted}",
        "    codes = {code for code, label in known if profession == code}",
        ("tests/plugins/mssante/test_directory.py::test_exact_filters",),
    ),
    Mutation(
        "directory: the profession filter is ignored",
        "plugins/mssante/directory.py",
        "        matches.append(f\"{{profession_code}}: ({' OR '.join(codes)})\")",
        "        pass",
        ("tests/plugins/mssante/test_directory.py::test_exact_filters",),
    ),
    Mutation(
        "directory: an empty filter finds the rows without that value",
        "plugins/mssante/directory.py",
        "        if value is not None and not value.strip():",
        "        if False:",
        ("tests/plugins/mssante/test_directory.py::test_limit_and_bad_criteria",),
    ),
    Mutation(
        "directory: a daemon keeps searching the directory it first opened",
        "plugins/mssante/directory.py",
        "            if self._db is None or self._file != (st.st_dev, st.st_ino):",
        "            if self._db is None:",
        (
            "tests/plugins/mssante/test_directory.py::test_readers_move_to_the_new_directory_and_never_see_a_mix",
        ),
    ),
    Mutation(
        "directory: two imports may run at once",
        "plugins/mssante/directory.py",
        "            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)",
        "            pass",
        ("tests/plugins/mssante/test_directory.py::test_one_import_at_a_time",),
    ),
    Mutation(
        "cli: plugin commands are never looked up",
        "core/cli.py",
        "        return super().get_command(ctx, cmd_name) or self.plugin_commands().get(cmd_name)",
        "        return super().get_command(ctx, cmd_name)",
        (
            "tests/test_plugin_commands.py::test_a_plugins_command_runs_with_its_config_and_data_dir",
        ),
    ),
    Mutation(
        "cli: a plugin's command may take a core command's name",
        "core/cli.py",
        "            if command_name in taken or command_name in found:",
        "            if command_name in found:",
        ("tests/test_plugin_commands.py::test_a_failing_plugin_does_not_break_the_other_commands",),
    ),
    Mutation(
        "cli: a plugin whose hook raises takes the command line down",
        "core/cli.py",
        "        except Exception as exc:  # a third-party plugin's bug must not take the CLI down",
        "        except ZeroDivisionError as exc:",
        ("tests/test_plugin_commands.py::test_a_failing_plugin_does_not_break_the_other_commands",),
    ),
    Mutation(
        "cli: a failing plugin's commands registered before the failure are kept",
        "core/cli.py",
        '            click.echo(f"aiguillage: plugin {name!r}: commands not registered: {exc}", err=True)\n            continue',
        '            click.echo(f"aiguillage: plugin {name!r}: commands not registered: {exc}", err=True)',
        ("tests/test_plugin_commands.py::test_a_failing_plugin_does_not_break_the_other_commands",),
    ),
    Mutation(
        "cli: with_config gives another plugin's data dir",
        "core/cli.py",
        "                config.data_dir = plugin_data_dir(settings, plugin)",
        '                config.data_dir = plugin_data_dir(settings, "other")',
        (
            "tests/test_plugin_commands.py::test_a_plugins_command_runs_with_its_config_and_data_dir",
        ),
    ),
    Mutation(
        "cli: an async register_commands is accepted",
        "core/cli.py",
        '                raise PluginError("register_commands must not be async")',
        "                pass",
        ("tests/test_plugin_commands.py::test_an_async_register_commands_is_refused",),
    ),
    Mutation(
        "hookspec: register_commands accepts any argument name",
        "core/hookspecs.py",
        "def register_commands(cli: click.Group, with_config: Callable[..., Any]) -> None:",
        "def register_commands(cli: click.Group, with_config: Callable[..., Any], settings: Any) -> None:",
        (
            "tests/test_plugin_commands.py::test_an_unknown_argument_of_register_commands_is_refused_at_load",
        ),
    ),
    Mutation(
        "cli: simulate hides a simulator's second server",
        "core/cli.py",
        '                    if key.endswith("_endpoint"):',
        "                    if False:",
        (f"{MSS_D}::test_simulate_names_both_servers",),
    ),
    Mutation(
        "mss store: the listing shows no patient",
        "plugins/mssante/mailstore.py",
        '''    "json_extract(parsed, '$.patient') AS patient, "''',
        '''    "NULL AS patient, "''',
        (f"{MSS_D}::test_a_critical_biology_result_is_flagged_and_announced",),
    ),
    # --- issue 13: ApCV and jFSE ---
    # ApCV protocol: client, simulator, signed codes
    Mutation(
        "apcv: client: a context read announced with the open action",
        "plugins/apcv/client.py",
        'READ: f"urn:ApCV_AUTH:1.0.0:{READ}"',
        'READ: f"urn:ApCV_AUTH:1.0.0:{OPEN}"',
        ("tests/plugins/apcv/test_client.py::test_a_context_reads_again_signs_and_is_destroyed",),
    ),
    Mutation(
        "apcv: client: the software context sent in another version",
        "plugins/apcv/client.py",
        'CTXLPS_VERSION = "01_00"',
        'CTXLPS_VERSION = "01_02"',
        (
            "tests/plugins/apcv/test_client.py::test_a_scanned_family_card_opens_a_context_with_every_beneficiary",
        ),
    ),
    Mutation(
        "apcv: client: a replayed code read as expired",
        "plugins/apcv/client.py",
        '"QR_REJOUE": "qr-replayed"',
        '"QR_REJOUE": "qr-expired"',
        ("tests/plugins/apcv/test_client.py::test_a_qr_code_opens_once_then_is_a_replay",),
    ),
    Mutation(
        "apcv: client: a transient failure not retried",
        "plugins/apcv/client.py",
        "stop=stop_after_attempt(self.retries + 1)",
        "stop=stop_after_attempt(1)",
        (
            "tests/plugins/apcv/test_client.py::test_an_unavailable_service_is_retried_until_it_answers",
        ),
    ),
    Mutation(
        "apcv: client: a timeout retried on a call that must not be",
        "plugins/apcv/client.py",
        'and (retry_timeout or exc.code != "timeout")',
        "and True",
        (
            "tests/plugins/apcv/test_client.py::test_a_slow_service_times_out_and_opening_is_not_retried",
        ),
    ),
    Mutation(
        "apcv: client: closing a context already gone is an error",
        "plugins/apcv/client.py",
        'if exc.code not in ("context-unknown", "context-expired"):',
        "if True:",
        ("tests/plugins/apcv/test_client.py::test_a_context_reads_again_signs_and_is_destroyed",),
    ),
    Mutation(
        "apcv: client: the ALD exoneration read as other",
        "plugins/apcv/client.py",
        '"ALD": "ald",',
        '"ALD": "other",',
        (
            "tests/plugins/apcv/test_client.py::test_exonerations_lunar_dates_used_names_and_missing_ins_come_through",
        ),
    ),
    Mutation(
        "apcv: client: nir_od read as the beneficiary's own NIR",
        "plugins/apcv/client.py",
        'nir_od = required("NIROuvrantDroit") + required("CleNIROuvrantDroit")',
        "nir_od = nir",
        (
            "tests/plugins/apcv/test_client.py::test_a_scanned_family_card_opens_a_context_with_every_beneficiary",
        ),
    ),
    Mutation(
        "apcv: client: no SAML assertion sent",
        "plugins/apcv/client.py",
        "if self.signer is not None:\n            security",
        "if False:\n            security",
        (
            "tests/plugins/apcv/test_client.py::test_a_scanned_family_card_opens_a_context_with_every_beneficiary",
        ),
    ),
    Mutation(
        "apcv: client: an unknown Receiver fault is a refusal, not unavailable",
        "plugins/apcv/client.py",
        'code = FAULT_CODES.get(subcode) or ("unavailable" if value == "Receiver" else "refused")',
        'code = FAULT_CODES.get(subcode) or "refused"',
        (
            "tests/plugins/apcv/test_client.py::test_an_unknown_receiver_fault_is_transient_and_an_unknown_sender_fault_a_refusal",
        ),
    ),
    Mutation(
        "apcv: simulator: a code used twice opens a second context",
        "plugins/apcv/simulator.py",
        "if not self.nonces.use(claims, now):",
        "if False:",
        ("tests/plugins/apcv/test_client.py::test_a_qr_code_opens_once_then_is_a_replay",),
    ),
    Mutation(
        "apcv: simulator: an expired code accepted",
        "plugins/apcv/sim_qr.py",
        "if now >= result.exp:",
        "if False:",
        ("tests/plugins/apcv/test_client.py::test_an_expired_qr_code_is_refused",),
    ),
    Mutation(
        "apcv: simulator: a code's signature not verified",
        "plugins/apcv/sim_qr.py",
        'self.public_key.verify(signature, f"{parts[0]}.{parts[1]}".encode())',
        "pass",
        ("tests/plugins/apcv/test_client.py::test_a_qr_code_of_another_simulator_is_tampered",),
    ),
    Mutation(
        "apcv: simulator: an expired context still used",
        "plugins/apcv/simulator.py",
        "        if self.now() >= context.expires:\n            raise Refused(CONTEXT_EXPIRED)",
        "        pass",
        ("tests/plugins/apcv/test_client.py::test_an_expired_context_is_refused_and_still_closes",),
    ),
    Mutation(
        "apcv: simulator: a call without an assertion answered",
        "plugins/apcv/simulator.py",
        "if assertion is None:\n            raise Refused(NO_ASSERTION)",
        "if assertion is None:\n            return operation, body[0], None",
        (
            "tests/plugins/apcv/test_simulator.py::test_a_request_without_security_header_is_refused",
        ),
    ),
    Mutation(
        "apcv: simulator: a context's token not checked",
        "plugins/apcv/simulator.py",
        "if context is None or (token and not secrets.compare_digest(context.token, given)):",
        "if context is None:",
        ("tests/plugins/apcv/test_client.py::test_a_wrong_token_does_not_reach_the_context",),
    ),
    Mutation(
        "apcv: simulator: another practitioner's context used",
        "plugins/apcv/simulator.py",
        "if context.practitioner != caller.name_id:",
        "if False:",
        ("tests/plugins/apcv/test_client.py::test_another_practitioner_cannot_use_the_context",),
    ),
    Mutation(
        "apcv: simulator: the software context's version not checked",
        "plugins/apcv/simulator.py",
        'if lps.get("Version") != CTXLPS_VERSION:',
        "if False:",
        ("tests/plugins/apcv/test_simulator.py",),
    ),
    Mutation(
        "apcv: simulator: its clock offset ignored",
        "plugins/apcv/simulator.py",
        "return time.time() + self.offset",
        "return time.time()",
        ("tests/plugins/apcv/test_client.py::test_an_expired_qr_code_is_refused",),
    ),
    Mutation(
        "apcv: simulator: the context validity setting ignored",
        "plugins/apcv/simulator.py",
        "expires=now + self.context_validity,",
        "expires=now + 3600,",
        (
            "tests/plugins/apcv/test_client.py::test_a_scanned_family_card_opens_a_context_with_every_beneficiary",
        ),
    ),
    Mutation(
        "apcv: simulator: a billing id other than the asserted one accepted",
        "plugins/apcv/simulator.py",
        "if asserted and billing not in asserted:",
        "if False:",
        (
            "tests/plugins/apcv/test_client.py::test_a_billing_id_other_than_the_asserted_one_is_refused",
        ),
    ),
    Mutation(
        "apcv: simulator: an action and a body that differ accepted",
        "plugins/apcv/simulator.py",
        "if body[0].tag != operation.body:",
        "if False:",
        ("tests/plugins/apcv/test_simulator.py",),
    ),
    Mutation(
        "apcv: simulator: the signed codes' nonce store forgets used nonces",
        "plugins/apcv/sim_qr.py",
        "if claims.nonce in self._used:",
        "if False:",
        ("tests/plugins/apcv/test_client.py::test_a_qr_code_opens_once_then_is_a_replay",),
    ),
    Mutation(
        "apcv: simulator: a care-sheet digest not checked as SHA-256",
        "plugins/apcv/simulator.py",
        "if not _SHA256_HEX.fullmatch(digest):",
        "if False:",
        ("tests/plugins/apcv/test_simulator.py::test_a_care_sheet_digest_must_be_a_sha256",),
    ),
    Mutation(
        "apcv: simulator: the signature not over the care sheet's digest",
        "plugins/apcv/simulator.py",
        "signature = self.qr_key.sign(signed_data(context.id, digest, summary, reference))",
        'signature = self.qr_key.sign(signed_data(context.id, "0" * 64, summary, reference))',
        ("tests/plugins/apcv/test_client.py::test_a_context_reads_again_signs_and_is_destroyed",),
    ),
    # ApCV plugin: sessions, API, hooks
    Mutation(
        "apcv: session never expires",
        "plugins/apcv/sessions.py",
        "return self.context.expires_at.timestamp() <= now",
        "return False",
        (
            "tests/plugins/apcv/test_api.py::test_a_session_past_its_end_is_410_without_asking_the_service",
        ),
    ),
    Mutation(
        "apcv: GET after DELETE still finds the session",
        "plugins/apcv/sessions.py",
        "if session is None or session.released_at is not None:",
        "if session is None:",
        (
            "tests/plugins/apcv/test_api.py::test_a_scanned_code_opens_a_session_read_again_then_released",
        ),
    ),
    Mutation(
        "apcv: replayed code reported as tampered",
        "plugins/apcv/api.py",
        '"qr-replayed": (\n        "apcv-qr-replayed",',
        '"qr-replayed": (\n        "apcv-qr-tampered",',
        ("tests/plugins/apcv/test_api.py::test_a_code_used_once_is_refused_as_replayed",),
    ),
    Mutation(
        "apcv: a refused code is not a 422 naming qr",
        "plugins/apcv/api.py",
        "if error.code in PAYLOAD_REFUSALS and field is not None:",
        "if error.code in PAYLOAD_REFUSALS and field is None:",
        ("tests/plugins/apcv/test_api.py::test_an_expired_code_is_refused_as_expired",),
    ),
    Mutation(
        "apcv: a context ended at the service is not 410",
        "plugins/apcv/api.py",
        "        if exc.code in ENDED:\n            await store.end",
        "        if False:\n            await store.end",
        (
            "tests/plugins/apcv/test_api.py::test_a_session_whose_context_ended_at_the_service_is_410",
        ),
    ),
    Mutation(
        "apcv: an ended context is asked again",
        "plugins/apcv/api.py",
        "            await store.end(session.id, time.time())\n",
        "",
        (
            "tests/plugins/apcv/test_api.py::test_a_session_whose_context_ended_at_the_service_is_410",
        ),
    ),
    Mutation(
        "apcv: DELETE does not release the session",
        "plugins/apcv/api.py",
        "    await store.release(session.id)\n",
        "",
        (
            "tests/plugins/apcv/test_api.py::test_a_scanned_code_opens_a_session_read_again_then_released",
        ),
    ),
    Mutation(
        "apcv: DELETE does not destroy the context",
        "plugins/apcv/api.py",
        "                await backend.close(session.context, practitioner, exchanges)",
        "                pass",
        (
            "tests/plugins/apcv/test_api.py::test_a_scanned_code_opens_a_session_read_again_then_released",
        ),
    ),
    Mutation(
        "apcv: a lunar birth date is not flagged",
        "plugins/apcv/api.py",
        "    except ValueError:\n        return True",
        "    except ValueError:\n        return False",
        ("tests/plugins/apcv/test_api.py::test_each_beneficiary_as_the_card_gives_them",),
    ),
    Mutation(
        "apcv: both qr and nfc accepted",
        "plugins/apcv/api.py",
        "    if len(given) == 1:",
        "    if given:",
        ("tests/plugins/apcv/test_api.py::test_the_body_is_checked_before_the_service_is_called",),
    ),
    Mutation(
        "apcv: nir_od is the beneficiary's own NIR",
        "plugins/apcv/api.py",
        '"nir_od": b.nir_od,',
        '"nir_od": b.nir,',
        (
            "tests/plugins/apcv/test_api.py::test_a_scanned_code_opens_a_session_read_again_then_released",
        ),
    ),
    Mutation(
        "apcv: an NFC session says qr",
        "plugins/apcv/api.py",
        "        source, opened.context, beneficiaries, practitioner=practitioner\n",
        '        "qr", opened.context, beneficiaries, practitioner=practitioner\n',
        ("tests/plugins/apcv/test_api.py::test_an_nfc_payload_opens_a_session_too",),
    ),
    Mutation(
        "apcv: a beneficiary index out of range is not refused",
        "plugins/apcv/sessions.py",
        "return self.beneficiaries[index] if 0 <= index < len(self.beneficiaries) else None",
        "return self.beneficiaries[index]",
        ("tests/plugins/apcv/test_api.py::test_an_ins_search_takes_a_beneficiary_of_the_session",),
    ),
    Mutation(
        "apcv: session rows carry no patient",
        "plugins/apcv/sessions.py",
        'return (first.get("ins") or {}).get("matricule") or first["nir"]',
        "return None",
        ("tests/plugins/apcv/test_api.py::test_every_step_is_journaled_with_the_patient",),
    ),
    Mutation(
        "apcv: purge deletes live sessions",
        "plugins/apcv/sessions.py",
        '"DELETE FROM sessions WHERE expires_at < ? OR released_at < ?"',
        '"DELETE FROM sessions WHERE expires_at > ? OR released_at < ?"',
        (
            "tests/plugins/apcv/test_sessions.py::test_ended_sessions_are_deleted_after_the_retention",
        ),
    ),
    Mutation(
        "apcv: purge ignores the release time",
        "plugins/apcv/sessions.py",
        '"DELETE FROM sessions WHERE expires_at < ? OR released_at < ?", [before, before]',
        '"DELETE FROM sessions WHERE expires_at < ?", [before]',
        (
            "tests/plugins/apcv/test_sessions.py::test_ended_sessions_are_deleted_after_the_retention",
        ),
    ),
    Mutation(
        "apcv: resolve_beneficiary gives an expired session",
        "plugins/apcv/plugin.py",
        "    if found.expired(time.time()):\n        raise expired(found)\n",
        "",
        (
            "tests/plugins/apcv/test_api.py::test_a_session_past_its_end_is_410_without_asking_the_service",
        ),
    ),
    Mutation(
        "apcv: sign: an ended context is not 410",
        "plugins/apcv/plugin.py",
        "        if exc.code in ENDED:\n            await config.state",
        "        if False:\n            await config.state",
        (
            "tests/plugins/apcv/test_api.py::test_a_beneficiary_signs_a_care_sheet_through_the_daemon",
        ),
    ),
    Mutation(
        "apcv: resolve_beneficiary gives the first beneficiary",
        "plugins/apcv/plugin.py",
        "    beneficiary = _beneficiary(held, index)\n    # Patient data",
        "    beneficiary = held.beneficiaries[0]\n    # Patient data",
        ("tests/plugins/apcv/test_api.py::test_an_ins_search_takes_a_beneficiary_of_the_session",),
    ),
    Mutation(
        "apcv: resolve_beneficiary claims released sessions",
        "plugins/apcv/plugin.py",
        "        return None  # the daemon answers 422",
        "        pass  # the daemon answers 422",
        ("tests/plugins/apcv/test_api.py::test_an_ins_search_takes_a_beneficiary_of_the_session",),
    ),
    Mutation(
        "apcv: sign: another digest is signed",
        "plugins/apcv/plugin.py",
        "held.context, digest, summary, practitioner, exchanges",
        "held.context, digest[::-1], summary, practitioner, exchanges",
        (
            "tests/plugins/apcv/test_api.py::test_a_beneficiary_signs_a_care_sheet_through_the_daemon",
        ),
    ),
    Mutation(
        "apcv: control characters accepted in a payload",
        "plugins/apcv/schemas.py",
        '    "pattern": "^[^\\\\u0000-\\\\u001f\\\\u007f-\\\\u009f]*$",\n',
        "",
        ("tests/plugins/apcv/test_api.py::test_the_body_is_checked_before_the_service_is_called",),
    ),
    Mutation(
        "apcv: a service down is 502 not 503",
        "plugins/apcv/api.py",
        "    elif error.transient:",
        "    elif False:",
        (
            "tests/plugins/apcv/test_api.py::test_a_service_down_is_503_and_a_session_is_kept_until_released",
        ),
    ),
    # ApCV sessions seen from the other plugins (INSi search, the daemon)
    Mutation(
        "insi: an ApCV session's beneficiary index ignored",
        "plugins/insi/api.py",
        '    index = call.body.get("beneficiary", 0)\n',
        "    index = 0\n",
        ("tests/plugins/insi/test_apcv_search.py",),
    ),
    Mutation(
        "core: an unknown carte Vitale session answered by nobody is not a 422",
        "core/daemon.py",
        "        if answer is None:\n            raise self._unknown_session(session, field)\n        return answer\n\n    async def sign_care_sheet(",
        "        return answer\n\n    async def sign_care_sheet(",
        ("tests/plugins/insi/test_apcv_search.py",),
    ),
    # jFSE: pricing engine, simulator books, simulator, client
    Mutation(
        "jfse: engine: amounts rounded half-even, not half-up",
        "plugins/jfse/engine.py",
        "return value.quantize(CENT, rounding=ROUND_HALF_UP)",
        "return value.quantize(CENT)",
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: engine: care out of the pathway still reimbursed at 70 %",
        "plugins/jfse/engine.py",
        'return 30 if pathway == "hors_parcours" else 70',
        "return 70",
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: engine: an ALD no longer gives the full rate",
        "plugins/jfse/engine.py",
        'FULL_RATE_EXONERATIONS = frozenset({"ald", "css", "ame", "invalidite"})',
        'FULL_RATE_EXONERATIONS = frozenset({"css", "ame", "invalidite"})',
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: engine: the flat participation not capped at the AMO amount",
        "plugins/jfse/engine.py",
        "participation = min(self.schedule.participation(case.date), amo_gross)",
        "participation = self.schedule.participation(case.date)",
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: engine: an 18-year-old is not yet an adult",
        "plugins/jfse/engine.py",
        "return age_on(case.birth_date, case.date) >= ADULT_AGE",
        "return age_on(case.birth_date, case.date) > ADULT_AGE",
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: engine: a lunar birth date's age a year short",
        "plugins/jfse/engine.py",
        "        return day.year - int(match[1])\n",
        "        return day.year - int(match[1]) - 1\n",
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: engine: maternity insurance pays the flat participation",
        "plugins/jfse/engine.py",
        '    if case.insurance_nature == "maternite":\n        return False\n',
        "",
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: engine: the AMC part due without AMC third-party payment",
        "plugins/jfse/engine.py",
        'amc_due = ticket if case.third_party_amc else Decimal("0.00")',
        "amc_due = ticket",
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: engine: without AMO third-party payment the patient is not asked the AMO part",
        "plugins/jfse/engine.py",
        "patient_due = total - (amo_due if case.third_party_amo else 0) - amc_due",
        "patient_due = total - amo_due - amc_due",
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: engine: a tariff still used after its end date",
        "plugins/jfse/engine.py",
        "return self.valid_from <= day <= self.valid_to",
        "return self.valid_from <= day",
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: engine: an act's quantity ignored",
        "plugins/jfse/engine.py",
        "money(unit * act.quantity)",
        "money(unit)",
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: engine: overlapping tariff periods accepted",
        "plugins/jfse/engine.py",
        "                if after.valid_from <= before.valid_to:",
        "                if False:",
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: engine: CSS beneficiaries pay the flat participation",
        "plugins/jfse/engine.py",
        'NO_PARTICIPATION_EXONERATIONS = frozenset({"css", "ame"})',
        'NO_PARTICIPATION_EXONERATIONS = frozenset({"ame"})',
        ("tests/plugins/jfse/test_engine.py",),
    ),
    Mutation(
        "jfse: simulator: the same lot sent again is taken twice",
        "plugins/jfse/sim_books.py",
        '            if known.state != "rejected":\n                return known',
        "            if False:\n                return known",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: simulator: securing a validated FSE again is refused",
        "plugins/jfse/sim_books.py",
        '        if invoice.state != "pending":\n            return invoice',
        "        if False:\n            return invoice",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: simulator: an FSE already sent goes in a second lot",
        "plugins/jfse/sim_books.py",
        '        if invoice.state != "validated":\n            return f"FSE {fse} was already sent',
        '        if False:\n            return f"FSE {fse} was already sent',
        ("tests/plugins/jfse/test_simulator.py",),
    ),
    Mutation(
        "jfse: simulator: the arl_negative fault ignored",
        "plugins/jfse/sim_books.py",
        'if self.faults.take("arl_negative") and not problems:',
        "if False:",
        ("tests/plugins/jfse/test_simulator.py",),
    ),
    Mutation(
        "jfse: simulator: the FSEs of a rejected lot are not given back",
        "plugins/jfse/sim_books.py",
        "            for invoice in taken:  # back to the software",
        "            for invoice in ():  # back to the software",
        ("tests/plugins/jfse/test_simulator.py",),
    ),
    Mutation(
        "jfse: simulator: an expired token accepted",
        "plugins/jfse/simulator.py",
        "if token is None or token.expires_at <= self.now():",
        "if token is None:",
        ("tests/plugins/jfse/test_simulator.py",),
    ),
    Mutation(
        "jfse: simulator: the reject_payment fault ignored",
        "plugins/jfse/sim_books.py",
        'if self.faults.take("reject_payment"):',
        "if False:",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: simulator: no AMC payment notice",
        "plugins/jfse/sim_books.py",
        "if invoice.third_party_amc and invoice.split and invoice.split.amc_due > 0:",
        "if False:",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: simulator: an ApCV signature too old accepted",
        "plugins/jfse/sim_books.py",
        'if self.faults.take("apcv_expired") or age > APCV_SIGNATURE_VALIDITY:',
        'if self.faults.take("apcv_expired"):',
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: simulator: pricing a line again adds it instead of replacing it",
        "plugins/jfse/simulator.py",
        "invoice.lines[line] = priced",
        "invoice.lines[len(invoice.lines) + 1] = priced",
        ("tests/plugins/jfse/test_simulator.py",),
    ),
    Mutation(
        "jfse: simulator: a cancelled FSE goes in a lot",
        "plugins/jfse/sim_books.py",
        '        if invoice.state == "cancelled":\n            return f"FSE {fse} was cancelled"',
        "",
        ("tests/plugins/jfse/test_simulator.py",),
    ),
    Mutation(
        "jfse: simulator: an FSE goes in a lot for another insurer",
        "plugins/jfse/sim_books.py",
        "        if invoice.destination != destination:",
        "        if False:",
        ("tests/plugins/jfse/test_simulator.py",),
    ),
    Mutation(
        "jfse: simulator: the editor key not checked",
        "plugins/jfse/simulator.py",
        'if not secrets.compare_digest(integrator["key"].encode(), EDITOR_KEY.encode()):',
        "if False:",
        ("tests/plugins/jfse/test_simulator.py",),
    ),
    Mutation(
        "jfse: client: a refused call tried only with a new token, never the held one",
        "plugins/jfse/client.py",
        "for fresh in (False, True):",
        "for fresh in (True,):",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: client: a refused token not fetched again",
        "plugins/jfse/client.py",
        "            await self._current_token(exchanges, stale=token)\n",
        "",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: client: notices after the payments' last sequence kept (then skipped)",
        "plugins/jfse/client.py",
        "if after < s <= cutoff]",
        "if after < s]",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: client: an engine error on an act not named by the act's field",
        "plugins/jfse/client.py",
        "        return f\"acts[{act}].{_ACT_NAMES[match[1]]}{match[2] or ''}\"",
        "        return source",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: client: ETAT_FACTURE not read as a state error",
        "plugins/jfse/client.py",
        '    "ETAT_FACTURE": "state",\n',
        "",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: client: an unpriced invoice not priced again on validation",
        "plugins/jfse/client.py",
        '            if exc.code != "not-found":\n                raise',
        "            raise",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: client: the integrator key shown in the exchanges",
        "plugins/jfse/client.py",
        'shown = {**envelope, "integrator": {**envelope["integrator"], "key": HIDDEN}}',
        "shown = envelope",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: client: a transient failure not retried",
        "plugins/jfse/client.py",
        "stop=stop_after_attempt(self.retries + 1)",
        "stop=stop_after_attempt(1)",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: simulator: the plugin's common faults dropped",
        "plugins/jfse/simulator.py",
        "        if faults is not None and not isinstance(faults, Faults):",
        "        if False:",
        ("tests/plugins/jfse/test_simulator.py",),
    ),
    Mutation(
        "jfse: simulator: the forbid fault ignored",
        "plugins/jfse/simulator.py",
        'if token is None or self.faults.take("forbid"):',
        "if token is None:",
        ("tests/plugins/jfse/test_client.py",),
    ),
    Mutation(
        "jfse: client: a token another call just replaced is fetched again",
        "plugins/jfse/client.py",
        "            if self._token is not None and self._token != stale:",
        "            if self._token is not None and stale is None:",
        ("tests/plugins/jfse/test_client.py",),
    ),
    # jFSE plugin: API, store, lot delivery
    Mutation(
        "jfse: api: a care sheet without acts accepted",
        "plugins/jfse/api.py",
        "    if not acts:\n",
        "    if False:\n",
        ("tests/plugins/jfse/test_api.py::test_a_care_sheet_needs_an_act",),
    ),
    Mutation(
        "jfse: api: a manual care sheet secured as read from the card",
        "plugins/jfse/api.py",
        '"manual": "degraded"}',
        '"manual": "vitale"}',
        ("tests/plugins/jfse/test_api.py::test_securing_with_the_card_and_in_degraded_mode",),
    ),
    Mutation(
        "jfse: store: a rejected lot's reason not kept on its care sheets",
        "plugins/jfse/store.py",
        "[invoice_state, reason, at, lot_id, invoice_state]",
        "[invoice_state, None, at, lot_id, invoice_state]",
        ("tests/plugins/jfse/test_lots.py::test_a_negative_arl_fails_the_item_until_it_is_resent",),
    ),
    Mutation(
        "jfse: delivery: a negative ARL tried again",
        "plugins/jfse/delivery.py",
        "f\"ARL negative for lot {lot.number}: {status.reason or 'no reason given'}\",\n            transient=False,",
        "f\"ARL negative for lot {lot.number}: {status.reason or 'no reason given'}\",\n            transient=True,",
        ("tests/plugins/jfse/test_lots.py::test_a_negative_arl_fails_the_item_until_it_is_resent",),
    ),
    Mutation(
        "jfse: delivery: no ARL in time is final",
        "plugins/jfse/delivery.py",
        "f\"no ARL for lot {lot.number} within {config.options['arl_wait']:g} s\",\n            transient=True,",
        "f\"no ARL for lot {lot.number} within {config.options['arl_wait']:g} s\",\n            transient=False,",
        ("tests/plugins/jfse/test_lots.py::test_no_arl_in_time_is_tried_again_later",),
    ),
    Mutation(
        "jfse: store: a page repeats the last care sheet of the one before",
        "plugins/jfse/store.py",
        "(created_at, id) < (?, ?)",
        "(created_at, id) <= (?, ?)",
        ("tests/plugins/jfse/test_api.py::test_listing_by_state_and_date_a_page_at_a_time",),
    ),
    Mutation(
        "jfse: store: care sheets of a rejected lot cannot go in a new lot",
        "plugins/jfse/store.py",
        ' or invoice.state == "rejected"\n',
        "\n",
        ("tests/plugins/jfse/test_lots.py::test_care_sheets_of_a_rejected_lot_go_in_a_new_lot",),
    ),
    Mutation(
        "jfse: api: a care sheet being cancelled can still go in a lot",
        "plugins/jfse/api.py",
        '"cancelled", free_of_lot=True)',
        '"cancelled", free_of_lot=False)',
        ("tests/plugins/jfse/test_lots.py::test_what_cannot_go_in_a_lot",),
    ),
    Mutation(
        "jfse: delivery: a lot whose care sheets went in a newer lot is sent again",
        "plugins/jfse/delivery.py",
        "    if len(invoices) != len(lot.invoices):",
        "    if False:",
        ("tests/plugins/jfse/test_lots.py::test_care_sheets_of_a_rejected_lot_go_in_a_new_lot",),
    ),
    Mutation(
        "jfse: api: the signed digest leaves out the priced care sheet",
        "plugins/jfse/api.py",
        '{"number": invoice.number, "draft": invoice.draft, "priced": invoice.priced}',
        '{"number": invoice.number, "draft": invoice.draft}',
        ("tests/plugins/jfse/test_api.py::test_an_apcv_sessions_beneficiary_signs_the_care_sheet",),
    ),
    Mutation(
        "jfse: store: a paid care sheet stays accepted",
        "plugins/jfse/store.py",
        'else "paid"',
        'else "accepted"',
        ("tests/plugins/jfse/test_lots.py::test_lots_per_insurer_are_acknowledged_then_paid",),
    ),
    Mutation(
        "jfse: store: a lot left without its outbox item not undone at start",
        "plugins/jfse/store.py",
        "    return _undo_lots(conn, orphans)",
        "    return 0",
        (
            "tests/plugins/jfse/test_lots.py::test_a_lot_left_without_its_outbox_item_is_undone_at_start",
        ),
    ),
    Mutation(
        "jfse: api: one lot for every insurer",
        "plugins/jfse/api.py",
        'groups[invoice.destination or ""]',
        'groups[""]',
        ("tests/plugins/jfse/test_lots.py::test_lots_per_insurer_are_acknowledged_then_paid",),
    ),
    Mutation(
        "jfse: api: the same lot request again forms new lots",
        "plugins/jfse/api.py",
        "earlier = store.lots_of_request(request_key) if request_key else []",
        "earlier = []",
        ("tests/plugins/jfse/test_lots.py::test_the_same_request_again_forms_no_second_lot",),
    ),
    Mutation(
        "jfse: api: a care date in the future accepted",
        "plugins/jfse/api.py",
        "    if day > today:",
        "    if False:",
        ("tests/plugins/jfse/test_api.py::test_bad_care_sheets_name_the_field",),
    ),
    Mutation(
        "jfse: api: an unknown ApCV session's 422 names another field",
        "plugins/jfse/api.py",
        '            call, session, index, field="/beneficiary/apcv_session"\n',
        "            call, session, index\n",
        ("tests/plugins/jfse/test_api.py::test_apcv_sessions_that_cannot_be_used",),
    ),
    Mutation(
        "jfse: api: a cancel the engine refuses leaves the care sheet cancelled",
        "plugins/jfse/api.py",
        '            await store.transition(invoice.id, ["cancelled"], "secured")\n            raise engine_problem(exc) from None',
        "            raise engine_problem(exc) from None",
        ("tests/plugins/jfse/test_api.py::test_a_secured_care_sheet_is_cancelled_once",),
    ),
    # --- issue 13: review fixes (ApCV practitioner binding, masking, malformed answers) ---
    Mutation(
        "apcv: a session read as the caller, not its opener",
        "plugins/apcv/api.py",
        '    session = store.held(call.params["id"])\n    backend: ApcvBackend = call.service()\n    practitioner = opener(call, session)',
        '    session = store.held(call.params["id"])\n    backend: ApcvBackend = call.service()\n    practitioner = call.practitioner',
        (
            "tests/plugins/apcv/test_api.py::test_a_session_stays_bound_to_the_practitioner_who_opened_it",
        ),
    ),
    Mutation(
        "apcv: a session released as the caller, not its opener",
        "plugins/apcv/api.py",
        "    # clean-up must not fail for being late.\n    backend: ApcvBackend = call.service()\n    practitioner = opener(call, session)",
        "    # clean-up must not fail for being late.\n    backend: ApcvBackend = call.service()\n    practitioner = call.practitioner",
        (
            "tests/plugins/apcv/test_api.py::test_a_session_stays_bound_to_the_practitioner_who_opened_it",
        ),
    ),
    Mutation(
        "apcv: a care sheet signed as the caller, not the session's opener",
        "plugins/apcv/plugin.py",
        "practitioner = opener(call, held)",
        "practitioner = call.practitioner",
        (
            "tests/plugins/apcv/test_api.py::test_a_session_stays_bound_to_the_practitioner_who_opened_it",
        ),
    ),
    Mutation(
        "apcv: the opener not kept with the session",
        "plugins/apcv/api.py",
        "source, opened.context, beneficiaries, practitioner=practitioner",
        "source, opened.context, beneficiaries",
        (
            "tests/plugins/apcv/test_api.py::test_a_session_stays_bound_to_the_practitioner_who_opened_it",
        ),
    ),
    Mutation(
        "apcv: the opener not written to the store",
        "plugins/apcv/sessions.py",
        "_practitioner_json(session.practitioner),",
        "None,",
        (
            "tests/plugins/apcv/test_sessions.py::test_a_session_keeps_the_practitioner_who_opened_it",
        ),
    ),
    Mutation(
        "apcv: a session of the first schema acts as nobody",
        "plugins/apcv/api.py",
        "return session.practitioner or call.daemon.practitioner",
        "return session.practitioner",
        (
            "tests/plugins/apcv/test_api.py::test_a_session_stored_before_the_binding_acts_as_the_configured_practitioner",
        ),
    ),
    Mutation(
        "apcv: the context token journaled in clear (answers)",
        "plugins/apcv/api.py",
        "{mask(answer)}",
        "{answer}",
        (
            "tests/plugins/apcv/test_api.py::test_the_journal_keeps_neither_the_context_token_nor_the_scanned_code",
        ),
    ),
    Mutation(
        "apcv: the scanned code journaled in clear (requests)",
        "plugins/apcv/api.py",
        "{mask(e.request.decode(errors='replace'))}",
        "{e.request.decode(errors='replace')}",
        (
            "tests/plugins/apcv/test_api.py::test_the_journal_keeps_neither_the_context_token_nor_the_scanned_code",
        ),
    ),
    Mutation(
        "apcv: the scanned code not masked",
        "plugins/apcv/api.py",
        'SECRET_ELEMENTS = ("TokenApCV", "Donnees")',
        'SECRET_ELEMENTS = ("TokenApCV",)',
        (
            "tests/plugins/apcv/test_api.py::test_the_journal_keeps_neither_the_context_token_nor_the_scanned_code",
        ),
    ),
    Mutation(
        "apcv: an unreadable answer retried as unavailable",
        "plugins/apcv/client.py",
        '    if status >= 500:\n        return ApcvError("unavailable"',
        '    if True:\n        return ApcvError("unavailable"',
        (
            "tests/plugins/apcv/test_api.py::test_an_answer_that_cannot_be_read_is_502_and_not_retried",
        ),
    ),
    Mutation(
        "apcv: unreadable data is unavailable, not malformed",
        "plugins/apcv/client.py",
        'return ApcvError("malformed", f"malformed answer: {detail}")',
        'return ApcvError("unavailable", f"malformed answer: {detail}")',
        (
            "tests/plugins/apcv/test_client.py::test_a_context_answer_with_unreadable_data_is_malformed",
        ),
    ),
    Mutation(
        "apcv: the sign answer carries no context id",
        "plugins/apcv/plugin.py",
        '"context": held.context.id,',
        "",
        (
            "tests/plugins/apcv/test_api.py::test_a_beneficiary_signs_a_care_sheet_through_the_daemon",
        ),
    ),
    Mutation(
        "apcv: old sessions not purged at start",
        "plugins/apcv/plugin.py",
        "await store.purge()",
        "pass",
        (
            "tests/plugins/apcv/test_api.py::test_sessions_that_ended_long_ago_are_deleted_when_the_daemon_starts",
        ),
    ),
    Mutation(
        "apcv: release does not purge",
        "plugins/apcv/sessions.py",
        "def _release(conn: sqlite3.Connection, session_id: str, now: float) -> bool:\n    _purge(conn, now - RETENTION)",
        "def _release(conn: sqlite3.Connection, session_id: str, now: float) -> bool:\n    pass",
        ("tests/plugins/apcv/test_sessions.py",),
    ),
    Mutation(
        "apcv: end does not purge",
        "plugins/apcv/sessions.py",
        "def _end(conn: sqlite3.Connection, session_id: str, now: float) -> None:\n    _purge(conn, now - RETENTION)",
        "def _end(conn: sqlite3.Connection, session_id: str, now: float) -> None:\n    pass",
        ("tests/plugins/apcv/test_sessions.py",),
    ),
    Mutation(
        "apcv: simulator garble fault never ends",
        "plugins/apcv/simulator.py",
        "self.garble -= 1",
        "pass",
        ("tests/plugins/apcv/test_client.py::test_a_garbled_answer_is_not_retried",),
    ),
    # --- issue 13: review fixes (jFSE concurrent lots and securing, recovery, malformed) ---
    Mutation(
        "jfse: a care sheet already in a lot goes in a second one",
        "plugins/jfse/store.py",
        "is None or not lottable(found)",
        'is None or found.state not in ("secured", "rejected")',
        ("tests/plugins/jfse/test_lots.py::test_a_care_sheet_in_a_lot_goes_in_no_second_one",),
    ),
    Mutation(
        "jfse: two lot requests at once not serialised",
        "plugins/jfse/api.py",
        "    async with _lots_lock(call):",
        "    async with contextlib.nullcontext():",
        ("tests/plugins/jfse/test_lots.py::test_two_lot_requests_at_once_form_the_lots_once",),
    ),
    Mutation(
        "jfse: an unreadable engine answer retried as unavailable",
        "plugins/jfse/client.py",
        'JfseError("malformed", f"{method}: the engine\'s answer is malformed: {exc}")',
        'JfseError("unavailable", f"{method}: the engine\'s answer is malformed: {exc}")',
        (
            "tests/plugins/jfse/test_client.py::test_an_answer_that_cannot_be_read_is_malformed_and_not_retried",
        ),
    ),
    Mutation(
        "jfse: a transmitted lot without item undone at start",
        "plugins/jfse/store.py",
        "\"SELECT id FROM lots WHERE item_id IS NULL AND state = 'queued'\"",
        '"SELECT id FROM lots WHERE item_id IS NULL"',
        ("tests/plugins/jfse/test_lots.py::test_a_lot_past_queued_is_never_undone_at_start",),
    ),
    Mutation(
        "jfse: a delivery does not note its lot's item",
        "plugins/jfse/delivery.py",
        "        lot = await store.note_item(lot.id, item.id) or lot",
        "        pass",
        ("tests/plugins/jfse/test_lots.py::test_a_delivery_notes_the_item_of_its_lot",),
    ),
    Mutation(
        "jfse: a care sheet left securing stays so after a restart",
        "plugins/jfse/store.py",
        "WHERE state = 'securing'\"",
        'WHERE 0"',
        (
            "tests/plugins/jfse/test_lots.py::test_a_care_sheet_left_securing_is_a_draft_again_at_start",
        ),
    ),
    Mutation(
        "jfse: the engine gets the signature reference as the ApCV context",
        "plugins/jfse/api.py",
        'context_id=signature["context"],',
        'context_id=signature["reference"],',
        ("tests/plugins/jfse/test_api.py::test_an_apcv_sessions_beneficiary_signs_the_care_sheet",),
    ),
    Mutation(
        "jfse: simulator: a blank ApCV context id accepted",
        "plugins/jfse/sim_books.py",
        "not proof[key].strip():",
        "not proof[key]:",
        ("tests/plugins/jfse/test_simulator.py::test_an_apcv_proof_is_checked",),
    ),
    Mutation(
        "jfse: a draft secured twice at once is signed twice",
        "plugins/jfse/api.py",
        'transition(invoice.id, ["draft"], "securing")',
        'transition(invoice.id, ["draft", "securing"], "securing")',
        ("tests/plugins/jfse/test_api.py::test_a_draft_secured_twice_at_once_is_signed_once",),
    ),
    Mutation(
        "jfse: a draft whose securing failed stays securing",
        "plugins/jfse/api.py",
        'back = await store.transition(invoice.id, ["securing"], "draft")',
        "back = None",
        ("tests/plugins/jfse/test_api.py::test_a_draft_whose_securing_failed_is_a_draft_again",),
    ),
    Mutation(
        "jfse: a payment's journal row forgotten before it is written",
        "plugins/jfse/follow.py",
        "            await daemon.journal(_entry(invoice, owed.notice, owed.exchanges), durable=True)\n        await store.journaled(owed.sequence)",
        "            await store.journaled(owed.sequence)\n            await daemon.journal(_entry(invoice, owed.notice, owed.exchanges), durable=True)\n        else:\n            await store.journaled(owed.sequence)",
        ("tests/plugins/jfse/test_follow.py",),
    ),
    # --- issue 13: the PS assertion shared by the INSi and ApCV clients ---
    Mutation(
        "core: a PS assertion reused however little time it has left",
        "core/security/assertions.py",
        "if cached and cached[0] - now > MARGIN:",
        "if cached:",
        ("tests/test_assertions.py",),
    ),
    Mutation(
        "core: a PS assertion without the billing number",
        "core/security/assertions.py",
        '            [Attribute("identifiantFacturation", (practitioner.billing_id,))]\n            if practitioner.billing_id',
        "            []\n            if practitioner.billing_id",
        ("tests/test_assertions.py",),
    ),
    Mutation(
        "core: one PS assertion for every practitioner",
        "core/security/assertions.py",
        "cached = self._cache.get(practitioner)",
        "cached = next(iter(self._cache.values()), None)",
        ("tests/test_assertions.py",),
    ),
    Mutation(
        "apcv: a practitioner without billing id reaches the service",
        "plugins/apcv/api.py",
        "    if not who.billing_id:",
        "    if False:",
        ("tests/plugins/apcv/test_api.py::test_the_body_is_checked_before_the_service_is_called",),
    ),
    Mutation(
        "apcv: a practitioner without an AMO specialty reaches the service",
        "plugins/apcv/api.py",
        "        if who.specialty_code not in AMO_SPECIALTIES:",
        "        if False:",
        ("tests/plugins/apcv/test_api.py::test_the_body_is_checked_before_the_service_is_called",),
    ),
    # --- MSSanté follow-up: health of an smtp:// endpoint without a port ---
    Mutation(
        "core: an smtp URL without a port probed on the relay's 25",
        "core/health.py",
        '"smtp": 587,',
        '"smtp": 25,',
        ("tests/test_core_routes.py::test_an_endpoint_without_a_port_is_probed_on_its_scheme_s",),
    ),
    # --- issue 14: runtime plugins (switch on/off, admin scope, service facts) -----------
    Mutation(
        "toggle: a switched-off plugin's operations still answer",
        "core/plugin_runtime.py",
        "            if not self.is_on(name):\n                raise disabled_problem(name)\n            self._calls[name]",
        "            self._calls[name]",
        ("tests/test_plugin_toggle.py::test_echo_api_is_gated_and_comes_back",),
    ),
    Mutation(
        "toggle: an unknown path of a switched-off plugin is not-found",
        "core/plugin_runtime.py",
        "            if not self.is_on(name):\n                raise disabled_problem(name)\n            allowed",
        "            allowed",
        ("tests/test_plugin_toggle.py::test_switch_insi_off_and_on",),
    ),
    Mutation(
        "toggle: the simulator keeps listening once switched off",
        "core/plugin_runtime.py",
        "        if running.simulator is not None:\n            try:\n                await running.simulator.stop()",
        "        if False:\n            try:\n                await running.simulator.stop()",
        ("tests/test_plugin_toggle.py::test_switch_insi_off_and_on",),
    ),
    Mutation(
        "toggle: a switched-off plugin keeps delivering",
        "core/plugin_runtime.py",
        "        await self.app[DELIVERIES].remove(name, DELIVERY_GRACE)\n",
        "",
        ("tests/test_plugin_toggle.py::test_deliveries_pause_while_off_and_resume",),
    ),
    Mutation(
        "toggle: a delivery cut off stays leased",
        "core/delivery.py",
        "        await dispatcher.put_back()\n",
        "",
        ("tests/test_plugin_toggle.py::test_a_delivery_cut_off_by_the_switch_is_queued_again",),
    ),
    Mutation(
        "toggle: the OpenAPI document keeps a switched-off plugin",
        "core/plugin_runtime.py",
        "        operations = self.published()\n        self._publish(operations, describe(operations))\n",
        "",
        ("tests/test_plugin_toggle.py::test_switch_insi_off_and_on",),
    ),
    Mutation(
        "toggle: config.changed is not journaled",
        "core/plugin_runtime.py",
        "            await self._journal(name, was, enabled, source, before, after, edit, client, request_id)\n",
        "",
        ("tests/test_plugin_toggle.py::test_switch_insi_off_and_on",),
    ),
    Mutation(
        "toggle: switches are not serialised",
        "core/plugin_runtime.py",
        "        async with self.lock:\n            source = settings.source",
        "        async with contextlib.AsyncExitStack():\n            source = settings.source",
        ("tests/test_plugin_toggle.py::test_concurrent_switches_are_made_one_at_a_time",),
    ),
    Mutation(
        "toggle: a plugin that cannot start is a 500",
        "core/plugin_runtime.py",
        '        except Exception as exc:\n            log.exception("%s: could not be switched on", name)',
        '        except ZeroDivisionError as exc:\n            log.exception("%s: could not be switched on", name)',
        ("tests/test_plugin_toggle.py::test_a_plugin_that_cannot_start_stays_off",),
    ),
    Mutation(
        "config edit: no backup of the previous file",
        "core/config_writer.py",
        "        os.replace(synced_temp(edit.real, edit.before), edit.backup)\n",
        "",
        ("tests/test_plugin_toggle.py::test_switch_insi_off_and_on",),
    ),
    Mutation(
        "config edit: the value's trailing comment is dropped",
        "core/config_writer.py",
        "            lines[j] = f\"{match['lead']}{value}{match['rest']}{ending}\"",
        "            lines[j] = f\"{match['lead']}{value}{ending}\"",
        ("tests/test_plugin_toggle.py::test_switch_insi_off_and_on",),
    ),
    Mutation(
        "config edit: the edited text is not parsed again",
        "core/config_writer.py",
        "    check_only_enabled_changed(text, after_text, plugin, enabled)\n",
        "",
        (
            "tests/test_plugin_toggle.py::test_a_table_written_with_dotted_keys_is_left_to_the_admin",
        ),
    ),
    Mutation(
        "config edit: the new file skips the start-up validation",
        "core/config_writer.py",
        "        settings = load_settings(temp, infos)",
        "        settings = load_settings(None, infos)",
        ("tests/test_plugin_toggle.py::test_an_invalid_config_file_is_not_written",),
    ),
    Mutation(
        "scopes: * grants admin",
        "core/clients.py",
        "        return ALL_SCOPES in self.scopes and scope != ADMIN_SCOPE",
        "        return ALL_SCOPES in self.scopes",
        ("tests/test_plugin_toggle.py::test_only_an_admin_app_may_switch",),
    ),
    Mutation(
        "plugins: a pending journal row counts as a failure",
        "core/outcomes.py",
        '        if name is None or outcome == "pending":',
        "        if name is None:",
        ("tests/test_plugin_toggle.py::test_plugins_show_certificate_and_last_outcomes",),
    ),
    Mutation(
        "plugins: only 'ok' is a success",
        "core/outcomes.py",
        '        kind = "last_success" if outcome in self.success[name] else "last_failure"',
        '        kind = "last_success" if outcome == "ok" else "last_failure"',
        ("tests/test_plugin_toggle.py::test_plugins_show_certificate_and_last_outcomes",),
    ),
    Mutation(
        "plugins: no certificate shown",
        "core/routes.py",
        '        "certificate": _certificate(app, config),',
        '        "certificate": None,',
        ("tests/test_plugin_toggle.py::test_plugins_show_certificate_and_last_outcomes",),
    ),
    Mutation(
        "start-up: a switch's new config hash is ignored",
        "core/app.py",
        '    for event, key in (("daemon.started", "config_sha256"), ("config.changed", "after_sha256")):',
        '    for event, key in (("daemon.started", "config_sha256"),):',
        ("tests/test_plugin_toggle.py::test_a_restart_after_a_switch_is_no_config_change",),
    ),
    Mutation(
        "outcomes: the first start does not walk the journal back",
        "core/outcomes.py",
        "            self.walk_from = head + 1\n",
        "            self.walk_from = None\n",
        ("tests/test_plugin_toggle.py::test_last_outcomes_are_walked_back_once_then_kept",),
    ),
    Mutation(
        "outcomes: the saved state is not used",
        "core/outcomes.py",
        '        if saved is not None and saved["seq"] <= head:',
        "        if False:",
        ("tests/test_plugin_toggle.py::test_last_outcomes_are_walked_back_once_then_kept",),
    ),
    # --- issue 15: conformance (certification runs) -----------------------------------------
    Mutation(
        "conformance: a field's expected value is never compared",
        "core/conformance/runner.py",
        "        elif value != wanted:\n",
        "        elif False:\n",
        ("tests/test_conformance.py::test_a_wrong_expectation_fails_the_run",),
    ),
    Mutation(
        "determinism: ids ignore the seed",
        "core/determinism.py",
        "    return uuid.UUID(int=_generator.getrandbits(128), version=4)",
        "    return uuid.uuid4()",
        ("tests/test_conformance.py::test_the_same_seed_gives_the_same_frames",),
    ),
    Mutation(
        "determinism: the frames' clock is never frozen",
        "core/determinism.py",
        "    return _frozen if _frozen is not None else dt.datetime.now(dt.UTC)",
        "    return dt.datetime.now(dt.UTC)",
        ("tests/test_conformance.py::test_the_same_seed_gives_the_same_frames",),
    ),
    Mutation(
        "injection: an injected answer is used once, whatever 'times' says",
        "core/simulators.py",
        "                injection.times -= 1\n",
        "                injection.times = 0\n",
        ("tests/test_conformance.py::test_the_proxy_forwards_unless_an_answer_is_injected",),
    ),
    Mutation(
        "proxy: an injected answer is forwarded to the platform instead",
        "core/conformance/proxy.py",
        "        injected = self.faults.injected(request.path)\n",
        "        injected = None\n",
        ("tests/test_conformance.py::test_the_proxy_forwards_unless_an_answer_is_injected",),
    ),
    Mutation(
        "capture: the simulators' frames are not captured",
        "core/simulators.py",
        '    if listener is None or request.path.startswith("/_admin/"):',
        "    if True:",
        ("tests/test_conformance.py::test_the_same_seed_gives_the_same_frames",),
    ),
    Mutation(
        "schematron: a check that fired no rule counts as passed",
        "core/conformance/schematron.py",
        "        return self.error is None and not self.failed and self.fired > 0",
        "        return self.error is None and not self.failed",
        ("tests/test_conformance.py::test_a_schematron_that_fired_no_rule_is_no_pass",),
    ),
    Mutation(
        "manifest: the JSON files are left out",
        "core/conformance/evidence.py",
        "if p.is_file() and p.name != MANIFEST)",
        'if p.is_file() and p.name != MANIFEST and p.suffix != ".json")',
        ("tests/test_conformance.py::test_the_manifest_and_the_zip_hold_every_file",),
    ),
    Mutation(
        "INSi simulator: injected response files are ignored",
        "plugins/insi/simulator.py",
        "        injected = self.faults.injected(request.path)\n",
        "        injected = None\n",
        ("tests/test_conformance.py::test_both_suites_pass_against_the_simulators",),
    ),
    Mutation(
        "DMP simulator: injected response files are ignored",
        "plugins/dmp/simulator.py",
        "            injected = self.faults.injected(request.path)\n",
        "            injected = None\n",
        ("tests/test_conformance.py::test_both_suites_pass_against_the_simulators",),
    ),
    Mutation(
        "conformance proxy command: the frames are not written",
        "core/conformance/command.py",
        "    proxy = InjectingProxy(endpoint, context, _frame_writer(frames) if frames else None)",
        "    proxy = InjectingProxy(endpoint, context, None)",
        ("tests/test_conformance.py::test_the_proxy_command_stands_in_front_of_a_platform",),
    ),
    # --- issue 16: identity status (RNIV), identity refusals, VSM last sent ---------------
    Mutation(
        "rniv: a doubtful identity can be qualified",
        "plugins/insi/rniv.py",
        '    if "doubtful" in attributes:',
        '    if "doubtful" in ():',
        ("tests/plugins/insi/test_rniv.py",),
    ),
    Mutation(
        "rniv: a fictitious identity can be qualified",
        "plugins/insi/rniv.py",
        '    if "fictitious" in attributes:',
        '    if "fictitious" in ():',
        ("tests/plugins/insi/test_rniv.py",),
    ),
    Mutation(
        "rniv: a verify reporting other traits keeps the INS",
        "plugins/insi/rniv.py",
        "    if retrieved is not None:\n        ins = retrieved",
        "    if retrieved:\n        ins = retrieved",
        (
            "tests/plugins/insi/test_rniv.py",
            "tests/plugins/insi/test_status.py",
        ),
    ),
    Mutation(
        "rniv: a driving licence is a high-trust document",
        "plugins/insi/rniv.py",
        '    "driving_licence": Document("permis de conduire", "low"),',
        '    "driving_licence": Document("permis de conduire", "high"),',
        ("tests/plugins/insi/test_rniv.py",),
    ),
    Mutation(
        "rniv: an adult's birth extract validates",
        "plugins/insi/rniv.py",
        "    if not minor:\n",
        "    if False:\n",
        (
            "tests/plugins/insi/test_rniv.py",
            "tests/plugins/insi/test_status.py",
        ),
    ),
    Mutation(
        "rniv: a minor's family book validates without a parent's document",
        "plugins/insi/rniv.py",
        '    if proof.parent_document is None:\n        return "low"',
        '    if proof.parent_document is None:\n        return "high"',
        (
            "tests/plugins/insi/test_rniv.py",
            "tests/plugins/insi/test_status.py",
        ),
    ),
    Mutation(
        "rniv: the INS alone qualifies",
        "plugins/insi/rniv.py",
        '    (False, True): "RECUP",',
        '    (False, True): "QUAL",',
        ("tests/plugins/insi/test_rniv.py",),
    ),
    Mutation(
        "status: an INSi call about another patient is taken",
        "plugins/insi/status.py",
        "    if not same:",
        "    if same is None:",
        ("tests/plugins/insi/test_status.py",),
    ),
    Mutation(
        "status: an inline INS-NIA counts as an INS",
        "plugins/insi/status.py",
        '        if ins.get("oid") == NIA_OID:',
        '        if ins.get("oid") == "NIA":',
        ("tests/plugins/insi/test_status.py",),
    ),
    Mutation(
        "status: not journaled identity.status",
        "plugins/insi/status.py",
        "    await call.journal(\n        EVENT,",
        "    await call.journal(\n        'ins.status',",
        ("tests/plugins/insi/test_status.py",),
    ),
    Mutation(
        "identity: a status other than QUAL goes",
        "core/identity.py",
        "    if status != QUALIFIED:",
        "    if status == 'never':",
        (
            "tests/plugins/dmp/test_identity_status.py",
            "tests/plugins/mssante/test_identity_status.py",
        ),
    ),
    Mutation(
        "identity: require_identity_status ignored",
        "core/identity.py",
        '        if options.get("require_identity_status", False):',
        '        if options.get("require_identity_status_", False):',
        (
            "tests/plugins/dmp/test_identity_status.py",
            "tests/plugins/mssante/test_identity_status.py",
        ),
    ),
    Mutation(
        "identity: allow_unqualified_identity ignored",
        "core/identity.py",
        '    if options.get("allow_unqualified_identity", False):',
        '    if options.get("allow_unqualified_identity_", False):',
        (
            "tests/plugins/dmp/test_identity_status.py",
            "tests/plugins/mssante/test_identity_status.py",
        ),
    ),
    Mutation(
        "dmp identity: a send is not checked",
        "plugins/dmp/api.py",
        '        call, body["patient"].get("identity_status"), ins, IDENTITY_FIELD, "DMP send"',
        '        call, None, ins, IDENTITY_FIELD, "DMP send"',
        ("tests/plugins/dmp/test_identity_status.py",),
    ),
    Mutation(
        "dmp identity: a search is not checked",
        "plugins/dmp/api.py",
        '        call, call.params.get("identity_status"), ins, "identity_status", "DMP search"',
        '        call, None, ins, "identity_status", "DMP search"',
        ("tests/plugins/dmp/test_identity_status.py",),
    ),
    Mutation(
        "dmp identity: a batch keeps its unqualified items",
        "plugins/dmp/api.py",
        "        if error is None:\n            kept.append(entry)",
        "        if error is None or entry:\n            kept.append(entry)",
        ("tests/plugins/dmp/test_identity_status.py",),
    ),
    Mutation(
        "mssante identity: a message to the patient is not checked",
        "plugins/mssante/api.py",
        "    if _to_patient(body):",
        "    if not _to_patient(body):",
        ("tests/plugins/mssante/test_identity_status.py",),
    ),
    Mutation(
        "vsm status: a year is 365 days",
        "plugins/dmp/vsm_status.py",
        "        later = moment.replace(year=moment.year + 1)",
        "        later = moment + dt.timedelta(days=365)",
        ("tests/plugins/dmp/test_identity_status.py",),
    ),
    Mutation(
        "vsm status: never more than a year",
        "plugins/dmp/vsm_status.py",
        "    elif clock() < a_year_after(last_sent.sent_at):",
        "    elif clock() < a_year_after(last_sent.sent_at) * 2:",
        ("tests/plugins/dmp/test_identity_status.py",),
    ),
    Mutation(
        "vsm status: a purged VSM is forgotten",
        "plugins/dmp/vsm_status.py",
        "                is_vsm = item.external_id in journaled",
        "                is_vsm = item.external_id in ()",
        ("tests/plugins/dmp/test_identity_status.py",),
    ),
    Mutation(
        "vsm status: a failed VSM counts as sent",
        "plugins/dmp/vsm_status.py",
        '            if item.state == "sent":',
        '            if item.state != "queued":',
        ("tests/plugins/dmp/test_identity_status.py",),
    ),
    Mutation(
        "vsm status: a PDF counts as a VSM",
        "plugins/dmp/vsm_status.py",
        '                is_vsm = _format_of(item.payload) == "vsm"',
        '                is_vsm = _format_of(item.payload) != "cda"',
        ("tests/plugins/dmp/test_identity_status.py",),
    ),
    # --- issue 16: birth places (INSEE COG) ---
    Mutation(
        "places: a code is still valid on the day of its merger",
        "core/places.py",
        "            self.valid_to is None or day < self.valid_to",
        "            self.valid_to is None or day <= self.valid_to",
        ("tests/plugins/insee/test_places_api.py::test_a_commune_before_and_after_its_merger",),
    ),
    Mutation(
        "places: a code looked up at a date whatever its periods",
        "core/places.py",
        "        valid = [place for place in periods if place.valid_at(day)]",
        "        valid = periods",
        (
            "tests/plugins/insee/test_places_api.py::test_the_merged_commune_s_code_is_valid_only_before_the_merger",
        ),
    ),
    Mutation(
        "places: ST not read as SAINT in names",
        "core/places.py",
        '    return " ".join(_SAINTS.get(word, word) for word in words)',
        '    return " ".join(words)',
        ("tests/plugins/insee/test_table.py::test_fold_place",),
    ),
    Mutation(
        "places: ST typed not read as SAINT in a search",
        "core/places.py",
        "    head = [_SAINTS.get(word, word) for word in (words if ended else words[:-1])]",
        "    head = list(words if ended else words[:-1])",
        (
            "tests/plugins/insee/test_places_api.py::test_accents_case_punctuation_and_st_are_folded",
        ),
    ),
    Mutation(
        "places: accents kept",
        "core/places.py",
        '    text = "".join(c for c in text if not unicodedata.combining(c)).upper()',
        "    text = text.upper()",
        (
            "tests/plugins/insee/test_places_api.py::test_folding_of_sainte_articles_and_apostrophes",
        ),
    ),
    Mutation(
        "places: names not found without their article",
        "core/places.py",
        "                    keyed.append((key[len(article) :], index))",
        "                    pass",
        (
            "tests/plugins/insee/test_places_api.py::test_folding_of_sainte_articles_and_apostrophes",
        ),
    ),
    Mutation(
        "places: the NIR's place not offered first",
        "core/places.py",
        "        for code in first:\n            place = self.lookup(code, day)",
        "        for code in ():\n            place = self.lookup(code, day)",
        ("tests/plugins/insee/test_places_api.py::test_the_nir_s_place_comes_first",),
    ),
    Mutation(
        "places: the CNDA test identities' codes left out",
        "core/places.py",
        "Places([*read_table(path), *read_plain_table(CNDA_TEST_PLACES)])",
        "Places(read_table(path))",
        (
            "tests/plugins/insee/test_insi_birth_place.py::test_every_test_identity_s_birth_place_is_valid_at_its_birth_date",
        ),
    ),
    Mutation(
        "places: a truncated communes file imported",
        "core/places_import.py",
        "    if communes is not None and len({r.code for r in communes}) < MIN_COMMUNES:",
        "    if False:",
        (
            "tests/plugins/insee/test_import.py::test_a_file_that_is_not_insee_s_leaves_the_table_as_it_was",
        ),
    ),
    Mutation(
        "places: an import drops the kinds its files do not carry",
        "core/places_import.py",
        "    kept = [row for row in read_table(current) if row.kind not in fresh]",
        "    kept = []",
        ("tests/plugins/insee/test_import.py::test_a_newer_cog_is_imported_and_served_at_once",),
    ),
    Mutation(
        "places: France (99100) imported as a birth country",
        "core/places_import.py",
        '        if code == "99100":',
        "        if False:",
        ("tests/plugins/insee/test_import.py::test_a_newer_cog_is_imported_and_served_at_once",),
    ),
    Mutation(
        "insi: a birth place invalid at the birth date reaches INSi",
        "plugins/insi/api.py",
        '    if all(reasons):\n        raise validation_problem([FieldError("/traits/birth_place", reasons[0])])',
        '    if False:\n        raise validation_problem([FieldError("/traits/birth_place", reasons[0])])',
        (
            "tests/plugins/insee/test_insi_birth_place.py::test_a_place_code_invalid_at_the_birth_date_is_a_422_before_insi",
        ),
    ),
    Mutation(
        "insi: a lunar birth date checked on its first day only",
        "plugins/insi/api.py",
        "    return [first, first + (last - first) / 2, last]",
        "    return [first]",
        (
            "tests/plugins/insee/test_insi_birth_place.py::test_a_lunar_birth_date_is_checked_over_the_period_it_leaves_open",
        ),
    ),
    Mutation(
        "insee: a bad nir= searched as no NIR",
        "plugins/insee/api.py",
        '        if code is None:\n            raise validation_problem([FieldError("/nir"',
        '        if False:\n            raise validation_problem([FieldError("/nir"',
        (
            "tests/plugins/insee/test_places_api.py::test_bad_search_input_is_a_422_naming_the_field",
        ),
    ),
    # --- issue 14: console front-end (login code, origin guard, CSP) -----------------------
    Mutation(
        "console: a login code serves twice",
        "core/console/codes.py",
        '        taken = conn.execute(\n            "DELETE FROM codes WHERE hash = ? AND expires_at > ?", [_hash(code), now]\n        ).rowcount',
        '        taken = len(conn.execute("SELECT 1 FROM codes WHERE hash = ? AND expires_at > ?", [_hash(code), now]).fetchall())',
        ("tests/console/test_guard.py::test_a_login_code_serves_once",),
    ),
    Mutation(
        "console: a login code past its 5 minutes is taken",
        "core/console/codes.py",
        '"DELETE FROM codes WHERE hash = ? AND expires_at > ?", [_hash(code), now]',
        '"DELETE FROM codes WHERE hash = ? AND expires_at > ?", [_hash(code), 0]',
        ("tests/console/test_guard.py::test_a_late_or_unknown_code_is_refused",),
    ),
    Mutation(
        "console: the login code is stored as it is",
        "core/console/codes.py",
        '        conn.execute("INSERT INTO codes (hash, expires_at) VALUES (?, ?)", [_hash(code), now + ttl])',
        '        conn.execute("INSERT INTO codes (hash, expires_at) VALUES (?, ?)", [code, now + ttl])',
        ("tests/console/test_guard.py::test_a_login_code_serves_once",),
    ),
    Mutation(
        "console: any Origin counts as the console's own",
        "core/middlewares.py",
        "    if origin is not None and origin.lower() in _own_origins(request):",
        "    if origin is not None:",
        (
            "tests/console/test_guard.py::test_a_foreign_origin_drives_nothing",
            "tests/console/test_console.py::test_a_foreign_origin_cannot_drive_the_console",
        ),
    ),
    Mutation(
        "console: the console's origin takes a non-admin token",
        "core/middlewares.py",
        "    if request.get(OWN_ORIGIN) and not client.has_scope(ADMIN_SCOPE):",
        "    if False:",
        ("tests/console/test_guard.py::test_a_foreign_origin_drives_nothing",),
    ),
    Mutation(
        "console: a same-origin GET without Origin takes a non-admin token",
        "core/middlewares.py",
        '    if origin is None and request.headers.get("Sec-Fetch-Site") == "same-origin":',
        "    if False:",
        ("tests/console/test_guard.py::test_a_foreign_origin_drives_nothing",),
    ),
    Mutation(
        "console: an EHR's allowlisted origin trades a login code",
        "core/middlewares.py",
        "        if origin:  # an EHR's page, allowlisted for its app: it has no business here",
        "        if False:",
        ("tests/console/test_guard.py::test_a_code_is_traded_from_the_console_only",),
    ),
    Mutation(
        "console: the files need a token",
        "core/console/__init__.py",
        "    handler.public = True",
        "    handler.public = False",
        (
            "tests/console/test_guard.py::test_the_console_files_need_no_token_and_carry_a_strict_policy",
        ),
    ),
    Mutation(
        "console: the policy lets inline scripts run",
        "core/console/__init__.py",
        "    \"default-src 'self'; script-src 'self'; ",
        "    \"default-src 'self'; script-src 'self' 'unsafe-inline'; ",
        (
            "tests/console/test_guard.py::test_the_console_files_need_no_token_and_carry_a_strict_policy",
        ),
    ),
    Mutation(
        "console: the console may be framed by any page",
        "core/console/__init__.py",
        "form-action 'none'; frame-ancestors 'none'\"",
        "form-action 'none'\"",
        (
            "tests/console/test_guard.py::test_the_console_files_need_no_token_and_carry_a_strict_policy",
        ),
    ),
    Mutation(
        "console: the login code stays in the address bar's history",
        "core/console/static/app.js",
        '  history.replaceState(null, "", location.pathname);',
        "",
        ("tests/console/test_console.py::test_log_in_with_a_one_time_code",),
    ),
    # --- issue 16: send now or in the background (?wait=), GS1 DataMatrix ------------------
    Mutation(
        "send wait: a send that waits answers 202 all the same",
        "core/outbox_api.py",
        "        if self.call is not None and self.deadline > time.monotonic():",
        "        if False:",
        ("tests/test_send_wait.py::test_a_send_that_waits_gets_the_receivers_answer",),
    ),
    Mutation(
        "send wait: a permanent failure is not an outcome (the wait runs to its end)",
        "core/outbox_api.py",
        'ENDED = frozenset({"sent", "failed", "dead", "cancelled"})',
        'ENDED = frozenset({"sent", "dead", "cancelled"})',
        ("tests/test_send_wait.py::test_a_refusal_within_the_wait_is_a_201_in_state_failed",),
    ),
    Mutation(
        "send wait: an outcome reached before the wait listened is missed",
        "core/outbox_api.py",
        "        pending.difference_update(i for i, (state, _) in states.items() if state in ENDED)\n",
        "",
        (
            "tests/test_send_wait.py::test_a_replay_that_waits_answers_the_outcome_and_says_it_is_a_replay",
        ),
    ),
    Mutation(
        "send wait: the plugin's default_wait ignored",
        "core/outbox_api.py",
        "        return call.app[SETTINGS].outbox.policy(plugin).default_wait",
        "        return 0.0",
        (
            "tests/test_send_wait.py::test_the_plugins_default_wait_applies_when_the_request_says_none",
        ),
    ),
    Mutation(
        "send wait: a batch's 201 without its items' outcome",
        "core/outbox_api.py",
        '            body = {**answer, "outbox": [item_json(i) for i in items]}',
        "            body = answer",
        ("tests/test_send_wait.py::test_a_vsm_batch_sent_now_reports_each_item",),
    ),
    Mutation(
        "send wait: the event bus does not call its listeners",
        "core/events.py",
        "                listener(event)",
        "                pass",
        ("tests/test_send_wait.py::test_a_send_that_waits_gets_the_receivers_answer",),
    ),
    Mutation(
        "send wait: no cap on wait",
        "core/send_wait.py",
        '{"type": "number", "minimum": 0, "maximum": MAX_WAIT_SECONDS, "examples": [20]}',
        '{"type": "number", "minimum": 0, "examples": [20]}',
        ("tests/test_send_wait.py::test_a_bad_wait_is_a_422_naming_it",),
    ),
    Mutation(
        "send wait: sends do not take wait",
        "core/send_wait.py",
        "    if not is_send(op) or any(p.name == WAIT_PARAM.name for p in op.params):",
        "    if True:",
        ("tests/test_send_wait.py::test_every_send_operation_declares_wait_and_its_201",),
    ),
    Mutation(
        "send wait: no 201 in the OpenAPI document",
        "core/openapi.py",
        '        doc["responses"] = {"201": _created(op, schemas), **doc["responses"]}',
        "        pass",
        ("tests/test_send_wait.py::test_every_send_operation_declares_wait_and_its_201",),
    ),
    Mutation(
        "send wait: a default_wait over the cap accepted",
        "core/config.py",
        "            if spec.maximum is not None and values[key] > spec.maximum:",
        "            if False:",
        ("tests/test_send_wait.py::test_default_wait_is_read_from_the_config_and_capped",),
    ),
    Mutation(
        "send wait: a daemon that stops leaves requests waiting",
        "core/outbox_api.py",
        "        if event.type == CLOSED:  # the daemon stops: answer what is known now\n            ended.set()",
        "        if event.type == CLOSED:  # the daemon stops: answer what is known now\n            pass",
        ("tests/test_send_wait.py::test_a_daemon_that_stops_ends_the_waits_with_a_202",),
    ),
    Mutation(
        "gs1: a wrong check digit accepted",
        "plugins/gs1/datamatrix.py",
        "            if error:\n                raise Gs1Error",
        "            if False:\n                raise Gs1Error",
        ("tests/plugins/gs1/test_gs1.py::test_malformed_data_is_a_422_saying_what_is_wrong",),
    ),
    Mutation(
        "gs1: any GTIN taken for a CIP-13",
        "plugins/gs1/datamatrix.py",
        '        if gtin and gtin.startswith("0" + CIP13_PREFIX):',
        "        if gtin:",
        ("tests/plugins/gs1/test_gs1.py::test_a_gtin_that_is_not_a_french_medicine_has_no_cip13",),
    ),
    Mutation(
        "gs1: the ]d2 symbology identifier not taken off",
        "plugins/gs1/datamatrix.py",
        '    if text.startswith("]"):',
        "    if False:",
        ("tests/plugins/gs1/test_gs1.py::test_a_vaccine_box_read_every_way_it_is_sent",),
    ),
    Mutation(
        "gs1: an AI given twice with different values accepted",
        "plugins/gs1/datamatrix.py",
        "            if seen[e.ai.ai] != e.value:",
        "            if False:",
        ("tests/plugins/gs1/test_gs1.py::test_malformed_data_is_a_422_saying_what_is_wrong",),
    ),
    Mutation(
        "gs1: parenthesised data with text outside its pairs accepted",
        "plugins/gs1/datamatrix.py",
        "    if not _HRI.fullmatch(compact):",
        "    if not _HRI.match(compact):",
        ("tests/plugins/gs1/test_gs1.py::test_malformed_data_is_a_422_saying_what_is_wrong",),
    ),
    Mutation(
        "gs1: a parenthesised AI read as a shorter one",
        "plugins/gs1/datamatrix.py",
        "    if ai is None or (expected is not None and ai.ai != expected):",
        "    if ai is None:",
        ("tests/plugins/gs1/test_gs1.py::test_malformed_data_is_a_422_saying_what_is_wrong",),
    ),
    Mutation(
        "gs1: a truncated field not called truncated",
        "plugins/gs1/datamatrix.py",
        "    if fixed and field.isdigit() and len(field) < int(fixed.group(1)):",
        "    if False:",
        ("tests/plugins/gs1/test_gs1.py::test_malformed_data_is_a_422_saying_what_is_wrong",),
    ),
    # --- issue 14: console scale (outbox and journal listings, verification) ---
    Mutation(
        "console scale: a journal event prefix finds only the first event under it",
        "core/journal.py",
        '        low = event + "\\x00"  # the next event after this one',
        "        return found",
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: the journal's name filter minds case",
        "core/journal.py",
        '"patient_name >= ? COLLATE NOCASE AND patient_name < ? COLLATE NOCASE"',
        '"patient_name >= ? AND patient_name < ?"',
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: a journal period taken as a run of seqs",
        "core/journal.py",
        "f\"SELECT min(seq), max(seq) FROM journal WHERE {' AND '.join(bounds)}\"",
        "f\"SELECT min(seq), min(seq) + count(*) - 1 FROM journal WHERE {' AND '.join(bounds)}\"",
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: the next journal page repeats the last row",
        "core/journal.py",
        '        where.append("seq < ?")',
        '        where.append("seq <= ?")',
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: no index on the journal's outcome",
        "core/journal.py",
        '    db.execute("CREATE INDEX journal_outcome ON journal (outcome)")',
        '    db.execute("SELECT 1")',
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: the next outbox page repeats the last item",
        "core/outbox.py",
        '        where.append("id < ?")',
        '        where.append("id <= ?")',
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: an outbox period taken as a run of ids",
        "core/outbox.py",
        "f\"SELECT min(id), max(id) FROM items WHERE {' AND '.join(bounds)}\"",
        "f\"SELECT min(id), min(id) + count(*) - 1 FROM items WHERE {' AND '.join(bounds)}\"",
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: outbox branches per plugin ignore the plugin",
        "core/outbox.py",
        "ids(['plugin = ?'])",
        "ids(['plugin >= ?'])",
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: the CSV export repeats earlier rows in each piece",
        "core/journal.py",
        "            out.seek(0)\n            out.truncate()\n",
        "            pass\n",
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: verification resumes after a last row edited since",
        "core/journal.py",
        '        return bool(row["hash"] == hash_ == chain_hash(row["prev_hash"], dict(row)))',
        '        return bool(row["hash"] == hash_)',
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: whole=true does not walk the whole journal",
        "core/journal_check.py",
        "            if whole or last is None or time.time() - last.whole_at > FULL_EVERY:",
        "            if last is None or time.time() - last.whole_at > FULL_EVERY:",
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: the whole walk skips the checkpoints",
        "core/journal_check.py",
        "        check = checkpoints.verify_journal(conn, data_dir, verifier, None, progress)",
        "        check = checkpoints.verify_journal(conn, data_dir, None, None, progress)",
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: rows walked since are not added to those verified",
        "core/journal_check.py",
        "Result(check, last.rows + check.chain.rows, now, last.whole_at)",
        "Result(check, check.chain.rows, now, last.whole_at)",
        ("tests/test_listings.py",),
    ),
    Mutation(
        "console scale: a claim reads every item of its plugin",
        "core/outbox.py",
        "        \"WHERE plugin = ? AND state = 'sending' AND lease_until < ?\"",
        "        \"WHERE plugin = ? AND +state = 'sending' AND lease_until < ?\"",
        ("tests/test_listings.py",),
    ),
    # --- issue 15: conformance (bundled ANS schematrons) ------------------------------------
    Mutation(
        "ans bundle: the default source is not the bundled copy",
        "core/conformance/schematron.py",
        "        source = source or BUNDLED\n",
        "        source = source or BUNDLED.parent\n",
        (
            "tests/test_conformance.py::"
            "test_every_root_runs_on_the_dmp_plugins_documents_with_the_bundled_files",
        ),
    ),
    Mutation(
        "ans bundle: the value sets are not copied next to the schematrons",
        "core/conformance/schematron.py",
        "            shutil.copyfile(source / name, building / name)\n",
        "            if name.endswith('.sch'):\n"
        "                shutil.copyfile(source / name, building / name)\n",
        (
            "tests/test_conformance.py::"
            "test_every_root_runs_on_the_dmp_plugins_documents_with_the_bundled_files",
        ),
    ),
    Mutation(
        "ans bundle: a value set named by a <let> is not looked for",
        "core/conformance/ans.py",
        "                    note((start.parent / (value.group(1) or value.group(2))).resolve(), root)",
        "                    pass",
        (
            "tests/test_conformance.py::test_the_bundled_ans_files_are_exactly_those_the_checks_read",
            "tests/test_conformance.py::test_a_missing_ans_file_is_named_and_refused",
        ),
    ),
    Mutation(
        "ans bundle: includes are not followed",
        "core/conformance/ans.py",
        '            todo.append((path.parent / include.get("href", "")).resolve())',
        "            pass",
        (
            "tests/test_conformance.py::test_the_bundled_ans_files_are_exactly_those_the_checks_read",
        ),
    ),
    Mutation(
        "ans bundle: a folder lacking a file the checks read is used anyway",
        "core/conformance/schematron.py",
        "    if needed.missing:\n",
        "    if False:\n",
        ("tests/test_conformance.py::test_a_missing_ans_file_is_named_and_refused",),
    ),
    Mutation(
        "scenarios: an id naming no folder ('..') is accepted",
        "core/conformance/scenarios.py",
        '    if not re.search(r"[A-Za-z0-9]", need("id", str)):',
        '    if not re.search(r".", need("id", str)):',
        ("tests/test_conformance.py::test_an_id_that_cannot_name_a_folder_is_refused",),
    ),
    Mutation(
        "scenarios: two ids writing the same evidence folder are accepted",
        "core/conformance/scenarios.py",
        "        key = _key(scenario.folder_name)\n",
        "        key = scenario.id\n",
        ("tests/test_conformance.py::test_two_ids_writing_the_same_folder_are_refused",),
    ),
    Mutation(
        "proxy: its frames' status line has no reason phrase",
        "core/conformance/proxy.py",
        '        reply = [f"{version} {status} {_reason(status)}".encode()]',
        '        reply = [f"{version} {status}".encode()]',
        ("tests/test_conformance.py::test_the_proxy_forwards_unless_an_answer_is_injected",),
    ),
    # --- issue 14: console sessions (expiry, logout, purge) ---------------------------------
    Mutation(
        "sessions: an expired app's token is still accepted",
        "core/clients.py",
        '"AND (expires_at IS NULL OR expires_at > ?)",',
        '"AND (expires_at IS NULL OR expires_at > ? OR 1)",',
        ("tests/console/test_sessions.py::test_an_expired_token_is_refused_like_a_revoked_one",),
    ),
    Mutation(
        "sessions: the daemon's memory of apps outlives their expiry",
        "core/clients.py",
        "if version != self._version or self._dirty or now >= self._next_expiry:",
        "if version != self._version or self._dirty:",
        ("tests/console/test_sessions.py::test_an_expired_token_is_refused_like_a_revoked_one",),
    ),
    Mutation(
        "sessions: expires_at only in a new store's table, no migration of an old one",
        "core/clients.py",
        """created_at REAL NOT NULL, revoked_at REAL)"
    )


def _add_expires_at(db: sqlite_utils.Database) -> None:
    # NULL for every app made before: those never expired, and still do not.
    db.execute("ALTER TABLE apps ADD COLUMN expires_at REAL")


MIGRATIONS = [_create_apps, _add_expires_at]""",
        """created_at REAL NOT NULL, revoked_at REAL, "
        "expires_at REAL)"
    )


MIGRATIONS = [_create_apps]""",
        ("tests/console/test_sessions.py::test_a_clients_store_from_before_expiries_upgrades",),
    ),
    Mutation(
        "sessions: the purge deletes expired apps that are not console sessions",
        "core/clients.py",
        'where = "expires_at IS NOT NULL AND expires_at <= ? AND substr(name, 1, ?) = ?"',
        "where = \"expires_at IS NOT NULL AND expires_at <= ? AND ? > 0 AND ? != ''\"",
        ("tests/console/test_sessions.py::test_a_login_deletes_the_expired_console_apps",),
    ),
    Mutation(
        "sessions: a login leaves the expired console apps",
        "core/console/login.py",
        "    purged = clients.purge_expired(APP_PREFIX, now)",
        "    purged = []",
        ("tests/console/test_sessions.py::test_a_login_deletes_the_expired_console_apps",),
    ),
    Mutation(
        "sessions: a console login's app never expires",
        "core/console/login.py",
        "    client, token = clients.add(name, [ADMIN_SCOPE], expires_at=expires_at)",
        "    client, token = clients.add(name, [ADMIN_SCOPE])",
        ("tests/console/test_sessions.py::test_a_console_login_lasts_a_working_day",),
    ),
    Mutation(
        "sessions: logout revokes nothing",
        "core/console/login.py",
        "    clients.revoke(client.name)",
        "    clients.list()",
        ("tests/console/test_sessions.py::test_logout_revokes_the_console_app_and_nothing_else",),
    ),
    Mutation(
        "sessions: logout revokes a hand-made admin app named console-...",
        "core/console/login.py",
        "    return client.name.startswith(APP_PREFIX) and client.expires_at is not None",
        "    return client.name.startswith(APP_PREFIX)",
        ("tests/console/test_sessions.py::test_logout_revokes_the_console_app_and_nothing_else",),
    ),
    Mutation(
        "sessions: logout revokes any admin app",
        "core/console/login.py",
        "    if not is_console_session(client):",
        "    if False:",
        ("tests/console/test_sessions.py::test_logout_revokes_the_console_app_and_nothing_else",),
    ),
    Mutation(
        "sessions: logout is not journaled",
        "core/console/login.py",
        '            event="console.logout",',
        '            event="console.login",',
        ("tests/console/test_sessions.py::test_logout_revokes_the_console_app_and_nothing_else",),
    ),
    Mutation(
        "sessions: apps list shows an expired app as active",
        "core/cli.py",
        'state = "revoked" if app.revoked_at else "expired" if app.expired(now) else "active"',
        'state = "revoked" if app.revoked_at else "active"',
        ("tests/console/test_sessions.py::test_a_login_deletes_the_expired_console_apps",),
    ),
    Mutation(
        "sessions: the page's Se deconnecter only forgets the token",
        "core/console/static/app.js",
        '    await api("/v1/console/logout", { method: "POST", probe: true });',
        "    await Promise.resolve();",
        ("tests/console/test_console.py::test_log_in_with_a_one_time_code",),
    ),
    # --- outbox space handed back (found while measuring issue 14) ---------------------------
    Mutation(
        "outbox: auto_vacuum set after WAL wrote the header (never takes)",
        "core/store.py",
        "            on_create(first)\n",
        "            pass\n",
        ("tests/test_outbox.py::test_purged_payloads_hand_their_space_back",),
    ),
    Mutation(
        "outbox: one incremental_vacuum statement (frees one page)",
        "core/outbox.py",
        "    for _ in range(free):\n",
        "    for _ in range(min(free, 1)):\n",
        ("tests/test_outbox.py::test_purged_payloads_hand_their_space_back",),
    ),
    # --- review of issues 14-16: a bare "]", the proxy's paths, the run's folder ------------
    Mutation(
        "gs1: a bare ']' escapes as an IndexError (a 500)",
        "plugins/gs1/datamatrix.py",
        '    except (ParseError, IndexError):  # biip indexes past the end of a bare "]"',
        "    except ParseError:",
        ("tests/plugins/gs1/test_gs1.py",),
    ),
    Mutation(
        "proxy: paths outside the endpoint's are forwarded with the certificate",
        "core/conformance/proxy.py",
        '        if base and request.path != base and not request.path.startswith(base + "/"):',
        "        if False:",
        ("tests/test_conformance.py::test_the_proxy_forwards_unless_an_answer_is_injected",),
    ),
    Mutation(
        "conformance: a daemon's data dir is taken as the run's folder",
        "core/conformance/command.py",
        "    if data_dir is not None and any((data_dir / db).exists() for db in datadir.STORES):",
        "    if False:",
        ("tests/test_conformance.py::test_a_daemons_data_dir_is_refused_as_the_runs_folder",),
    ),
]


def scratch_copy(target: Path) -> Path:
    """The project copied to ``target``, and a shim folder that imports it as ``aiguillage``
    (``core/`` with ``plugins/`` as ``aiguillage.plugins``, as the install maps them)."""
    shutil.copytree(
        ROOT,
        target / "project",
        ignore=shutil.ignore_patterns(
            ".venv", "__pycache__", "*.egg-info", ".git", ".ruff_cache", "node_modules"
        ),
    )
    shim = target / "shim" / "aiguillage"
    shim.mkdir(parents=True)
    for entry in (target / "project" / "core").iterdir():
        (shim / entry.name).symlink_to(entry)
    (shim / "plugins").symlink_to(target / "project" / "plugins")
    # The tests find the public specification files beside the project, as in the real tree.
    beside = ROOT.parent / "shared"
    if beside.exists():
        (target / "shared").symlink_to(beside)
    return target / "project"


def run(mutation: Mutation, project: Path, shim: Path) -> tuple[str, float]:
    path = project / mutation.file
    original = path.read_text(encoding="utf-8")
    if original.count(mutation.old) != 1:
        return "ERROR (its text is not in the file once: update the mutation)", 0.0
    path.write_text(original.replace(mutation.old, mutation.new), encoding="utf-8")
    started = time.monotonic()
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-x",
                "-q",
                "-n",
                "0",
                "-p",
                "no:cacheprovider",
                *mutation.tests,
            ],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(shim)},
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        path.write_text(original, encoding="utf-8")
    elapsed = time.monotonic() - started
    if result.returncode == 1:
        return "killed", elapsed
    if result.returncode == 0:
        return "SURVIVED", elapsed
    return f"ERROR (pytest exit {result.returncode}: {result.stdout[-300:]})", elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="run only the mutations with these names")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if not args.names or m.name in args.names]
    unknown = set(args.names) - {m.name for m in MUTATIONS}
    if unknown:
        parser.error(f"no mutation named {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="mutations-") as folder:
        project = scratch_copy(Path(folder))
        shim = Path(folder) / "shim"
        killed = 0
        for n, mutation in enumerate(chosen, 1):
            verdict, seconds = run(mutation, project, shim)
            killed += verdict == "killed"
            print(f"[{n}/{len(chosen)}] {verdict:8} {mutation.name} ({seconds:.1f} s)", flush=True)
    print(f"score: {killed}/{len(chosen)} mutations killed")
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    raise SystemExit(main())
