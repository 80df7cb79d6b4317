"""SQL of certification: `cases` (cases and withdrawn outcomes), `history` (the
steps of each case) and `decisions` (decisions made, and what the metrics count)."""
