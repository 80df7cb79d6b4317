"""Accounts rules, consents, the credit ledger, the credit feed and who may read what; no I/O."""
