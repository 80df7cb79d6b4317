"""SQL for accounts, consents, the ledger and the credit feed."""
