"""SQL for outcomes, evidence files and consents."""
