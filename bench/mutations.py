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
        "plugins/dmp/cda.py",
        "        _vsm_section(section, subsection, content, document)",
        "        pass",
        (f"{DMP_TESTS}/test_cda.py",),
    ),
    Mutation(
        "vsm: 'Traitement au long cours' gets a sub-section and a text",
        "plugins/dmp/cda.py",
        "    for subsection in model.subsections:",
        "    medications = VsmSection('1.3.6.1.4.1.19376.1.5.3.1.3.19', '10160-0', 'Traitements')\n"
        "    for subsection in model.subsections or ((medications,) * (model.code == '18776-5')):",
        (f"{DMP_TESTS}/test_cda.py",),
    ),
    Mutation(
        "class: every type is a 'Compte rendu'",
        "plugins/dmp/valuesets.py",
        '    return lookup("dmp_class", class_code)',
        '    return lookup("dmp_class", "10" if type_code != "E1762" else class_code)',
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "types: the CI-SIS set J07 instead of the DMP's J66",
        "plugins/dmp/valuesets.py",
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
        "plugins/dmp/metadata.py",
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
        "plugins/dmp/valuesets.py",
        'Code(concept["code"], systems[include["system"]], concept["display"])',
        'Code(concept["code"], systems[include["system"]], concept["display"].title())',
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "serviceStopTime: always sent",
        "plugins/dmp/metadata.py",
        '    if doc.service_stop:\n        b.slot(entry, "serviceStopTime", doc.service_stop)',
        '    b.slot(entry, "serviceStopTime", doc.service_stop or dtm(doc.created))',
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "service times: offsets not moved to UTC",
        "plugins/dmp/metadata.py",
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
        "        for problem in ins_trait_problems(person)",
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
        "plugins/dmp/cda.py",
        '"birth first names (given without qualifier)": "hl7:name/hl7:given[not(@qualifier)]"',
        '"birth first names (given without qualifier)": "hl7:name/hl7:given[@qualifier=\'BR\']"',
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "ehr cda: a birth place that is no COG code accepted",
        "plugins/dmp/cda.py",
        "    if place and not _COG.fullmatch(place):",
        "    if False:",
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "ehr cda: a service that ends before it starts accepted",
        "plugins/dmp/metadata.py",
        "    if start and stop and stop < start[: len(stop)]:",
        "    if False:",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "service times: a naive time taken as UTC",
        "plugins/dmp/metadata.py",
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
        "plugins/dmp/metadata.py",
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
        "plugins/dmp/cda.py",
        "    elif len(ins_ids) > 1:",
        "    elif False:",
        ("tests/plugins/dmp/test_landing.py",),
    ),
    Mutation(
        "dmp: a CDA's patient traits are not compared",
        "plugins/dmp/cda.py",
        "        if written and written != expected:",
        "        if False:",
        ("tests/plugins/dmp/test_landing.py",),
    ),
    Mutation(
        "dmp: VSM section ids are random, so a resent VSM is another document",
        "plugins/dmp/cda.py",
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
        "for problem in record_target_problems(role, patient_of(patient))\n",
        "for problem in record_target_problems(role, patient_of(patient))"
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
        '    "oneOf": [SEARCH_BY_TRAITS, SEARCH_BY_VITALE],',
        '    "oneOf": [{"required": ["traits"]}, {"required": ["vitale"]}],',
        ("tests/plugins/insi/test_description.py::test_the_search_is_one_of_two_real_types",),
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
        "plugins/dmp/metadata.py",
        "second or 0, tzinfo=dt.UTC",
        "second or 0, tzinfo=None",
        ("tests/plugins/dmp/test_description.py::test_xds_times_become_rfc3339",),
    ),
    Mutation(
        "dmp: an XCN's id type read from the wrong component",
        "plugins/dmp/metadata.py",
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
        '"created": rfc3339_of_dtm(entry.creation_time),',
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
