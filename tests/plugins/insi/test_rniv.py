"""The RNIV status rules, table-tested: each row is one case the RNIV (volet 1) decides, with
the status and the rule that must decide it."""

from __future__ import annotations

import pytest

from aiguillage.plugins.insi.rniv import (
    FACTS_OF,
    STATUS_OF,
    Proof,
    ProofError,
    assess,
    proof_trust,
)

PASSPORT = Proof("passport")
CNI = Proof("national_id_card")
PERMIT = Proof("residence_permit")

# current status, proof, INSi outcome, attributes, minor → status, rule
TRANSITIONS = [
    # the four statuses from the two facts (RNIV 1, statuts de confiance)
    (None, None, None, set(), False, "PROV", "provisional"),
    (None, PASSPORT, None, set(), False, "VALI", "validated"),
    (None, None, "found", set(), False, "RECUP", "recovered"),
    (None, None, "verified", set(), False, "RECUP", "recovered"),
    (None, PASSPORT, "found", set(), False, "QUAL", "qualified"),
    (None, CNI, "verified", set(), False, "QUAL", "qualified"),
    (None, PERMIT, "verified", set(), False, "QUAL", "qualified"),
    # what a status established stays, and new evidence completes it
    ("RECUP", PASSPORT, None, set(), False, "QUAL", "qualified"),
    ("VALI", None, "found", set(), False, "QUAL", "qualified"),
    ("QUAL", None, None, set(), False, "QUAL", "qualified"),
    ("QUAL", None, "verified", set(), False, "QUAL", "qualified"),
    ("VALI", Proof("driving_licence"), None, set(), False, "VALI", "validated"),
    # an INSi answer that undoes the INS downgrades
    ("QUAL", None, "differs", set(), False, "VALI", "insi-downgrade"),
    ("RECUP", None, "differs", set(), False, "PROV", "insi-downgrade"),
    ("QUAL", None, "not_found", set(), False, "VALI", "insi-downgrade"),
    ("QUAL", None, "several", set(), False, "VALI", "insi-downgrade"),
    ("RECUP", None, "nia", set(), False, "PROV", "insi-downgrade"),
    ("QUAL", PASSPORT, "differs", set(), False, "VALI", "insi-downgrade"),
    # no INS to undo: no downgrade, the plain status
    (None, PASSPORT, "nia", set(), False, "VALI", "validated"),
    (None, None, "not_found", set(), False, "PROV", "provisional"),
    (None, PASSPORT, "several", set(), False, "VALI", "validated"),
    # low-trust documents validate nothing
    (None, Proof("driving_licence"), "found", set(), False, "RECUP", "recovered"),
    (None, Proof("health_insurance_card"), "verified", set(), False, "RECUP", "recovered"),
    (None, Proof("other"), "found", set(), False, "RECUP", "recovered"),
    (None, Proof("other", "high"), "found", set(), False, "QUAL", "qualified"),
    (None, Proof("passport", "low"), "found", set(), False, "RECUP", "recovered"),
    # minors (RNIV 1 §3.3.3): birth extract or family book only with a parent's document
    (None, Proof("birth_certificate", None, "passport"), "found", set(), True, "QUAL", "qualified"),
    (
        None,
        Proof("family_record_book", None, "national_id_card"),
        "verified",
        set(),
        True,
        "QUAL",
        "qualified",
    ),
    (None, Proof("family_record_book"), "found", set(), True, "RECUP", "recovered"),
    (
        None,
        Proof("family_record_book", None, "passport", "low"),
        "found",
        set(),
        True,
        "RECUP",
        "recovered",
    ),
    (
        None,
        Proof("birth_certificate", None, "passport"),
        "found",
        set(),
        False,
        "RECUP",
        "recovered",
    ),
    (None, Proof("minor_travel_document"), "found", set(), True, "QUAL", "qualified"),
    (None, Proof("minor_travel_document"), "found", set(), False, "RECUP", "recovered"),
    # attributes
    ("QUAL", PASSPORT, "verified", {"fictitious"}, False, "PROV", "fictitious"),
    (None, PASSPORT, "found", {"doubtful"}, False, "PROV", "doubtful"),
    ("QUAL", None, None, {"doubtful", "fictitious"}, False, "PROV", "fictitious"),
    (None, PASSPORT, "found", {"homonym"}, False, "QUAL", "qualified"),
]


@pytest.mark.parametrize(
    ("current", "proof", "insi", "attributes", "minor", "status", "rule"), TRANSITIONS
)
def test_status_transitions(current, proof, insi, attributes, minor, status, rule):
    assessment = assess(current, proof, insi, frozenset(attributes), minor)
    assert (assessment.status, assessment.rule) == (status, rule)
    # Only a qualified identity has nothing missing, unless it never can be qualified.
    assert (assessment.missing == []) == (status == "QUAL" or rule == "fictitious")


def test_the_status_table_is_the_two_facts():
    assert STATUS_OF == {
        (False, False): "PROV",
        (False, True): "RECUP",
        (True, False): "VALI",
        (True, True): "QUAL",
    }
    assert all(STATUS_OF[FACTS_OF[status]] == status for status in FACTS_OF)


@pytest.mark.parametrize(
    ("current", "insi", "codes"),
    [
        (None, None, ["identity_proof", "insi"]),
        ("VALI", None, ["insi"]),
        ("RECUP", None, ["identity_proof"]),
        ("QUAL", "several", ["insi"]),
    ],
)
def test_what_is_missing(current, insi, codes):
    assert [m.code for m in assess(current, None, insi).missing] == codes


def test_the_missing_insi_step_says_what_insi_answered():
    (missing,) = assess("QUAL", None, "differs").missing
    assert "autres traits" in missing.label
    (missing,) = assess("VALI", None, "nia").missing
    assert "NIA" in missing.label


def test_fictitious_is_never_qualifiable_and_doubtful_says_lift_the_doubt():
    fictitious = assess(None, PASSPORT, "found", frozenset({"fictitious"}))
    assert fictitious.qualifiable is False and fictitious.missing == []
    doubtful = assess(None, None, None, frozenset({"doubtful"}))
    assert doubtful.qualifiable is True
    assert [m.code for m in doubtful.missing] == ["doubt", "identity_proof", "insi"]


def test_homonym_changes_nothing_but_is_noted():
    plain = assess(None, PASSPORT, "found")
    homonym = assess(None, PASSPORT, "found", frozenset({"homonym"}))
    assert (homonym.status, homonym.rule) == (plain.status, plain.rule)
    assert any("homonyme" in note for note in homonym.notes) and plain.notes == []


def test_a_document_not_retained_is_noted():
    assessment = assess(None, Proof("driving_licence"), None)
    assert assessment.document_trust == "low"
    assert any("permis de conduire" in note for note in assessment.notes)


@pytest.mark.parametrize(
    ("proof", "minor", "field"),
    [
        (Proof("driving_licence", "high"), False, "trust"),
        (Proof("health_insurance_card", "high"), True, "trust"),
        (Proof("birth_certificate", "high"), False, "trust"),
    ],
)
def test_a_trust_the_rules_do_not_give_is_refused(proof, minor, field):
    with pytest.raises(ProofError) as raised:
        proof_trust(proof, minor)
    assert raised.value.field == field
