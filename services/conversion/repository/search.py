"""SQL for searching the catalog: majors, courses and credential types by a code or by
words of their names in either language.

Ranked: an exact code first, then a code or name that starts with the text, then one
that holds every word of it (substring matching: pg_trgm makes no trigrams of Chinese
under this database's C.UTF-8 locale, so 园长 is found by `strpos`), then names
trigram-similar to it (a misspelt English word). The catalog is small: one pass over
its entries per search."""

from __future__ import annotations

from datetime import date

from cbkit.db import Connection
from services.conversion.domain.catalog import CatalogKind, CatalogMatch

SIMILAR = 0.3
"""The least trigram word similarity that counts as a match."""

SEARCH = """
WITH entries AS (
    SELECT 'MAJOR' AS kind, code, name, name_zh, retired_from FROM majors
    UNION ALL SELECT 'COURSE', code, name, name_zh, retired_from FROM courses
    UNION ALL SELECT 'CREDENTIAL_TYPE', code, name, name_zh, retired_from FROM credential_types
), scored AS (
    SELECT kind, code,
        CASE
            WHEN code = upper($1) THEN 4
            WHEN starts_with(code, upper($1)) OR starts_with(lower(name), lower($1))
                OR starts_with(name_zh, $1) THEN 3
            WHEN NOT EXISTS (
                SELECT 1 FROM unnest($2::text[]) AS word
                WHERE strpos(lower(code || ' ' || name || ' ' || coalesce(name_zh, '')),
                             lower(word)) = 0
            ) THEN 2
            ELSE 0
        END AS tier,
        word_similarity(lower($1), lower(name)) AS likeness
    FROM entries
    WHERE retired_from IS NULL OR retired_from > $3
)
SELECT kind, code, tier + likeness AS score FROM scored
WHERE tier > 0 OR likeness >= $4
ORDER BY score DESC, kind, code
LIMIT $5
"""


async def search(conn: Connection, text: str, today: date, first: int) -> list[CatalogMatch]:
    """The best `first` entries not retired by `today` that match `text`, best first."""
    rows = await conn.fetch(SEARCH, text, text.split(), today, SIMILAR, first)
    return [CatalogMatch(CatalogKind(r["kind"]), r["code"], float(r["score"])) for r in rows]
