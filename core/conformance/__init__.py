"""Certification runs: scenarios keyed by official test ids, evidence bundles."""
