"""Plumbing shared by every Credit Bank service: settings, database, migrations,
events (envelope, outbox, consumer), tokens, logging, metrics and the app factory.
Business rules never live here."""
