"""Picks the request parameters of bench/run.sh from a loaded database.

Prints shell assignments (NAME='value'), one a line, for `eval`. Everything is chosen by
rank or position so that the same corpus always gives the same requests:

- MEASURE: the measure in the middle of the id order (item lookup);
- AGENCY, ROLE: the agency link with the most measures (filtered list);
- DOCUMENT: the document with the most measures (CSV export of a filtered list);
- CURSOR: a cursor half-way through the measures in their default order (deep page), made
  from a real cursor of the server (its `next_cursor`, decoded and re-pointed);
- NEXT: the measure id half-way through the id order (Datasette's `_next` for the same depth);
- DATASETTE_MEASURE, DATASETTE_NEXT: MEASURE and NEXT as Datasette writes keys in URLs;
- WORD, PHRASE: a two-character word and a five-character phrase that occur in measures.
"""

import base64
import json
import shlex
import sqlite3
import sys
import urllib.request


def tilde(value: str) -> str:
    """Datasette's tilde encoding of a key: every byte but A-Z a-z 0-9 _ - as ~XX."""
    keep = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    return "".join(
        c if c in keep else "".join(f"~{b:02X}" for b in c.encode()) for c in value
    )


def main() -> None:
    db, base = sys.argv[1], sys.argv[2]
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    one = lambda sql, *args: conn.execute(sql, args).fetchone()
    (count,) = one("SELECT COUNT(*) FROM measures")
    (measure,) = one("SELECT id FROM measures ORDER BY id LIMIT 1 OFFSET ?", count // 2)
    agency, role = one(
        "SELECT agency_id, role FROM measure_agencies GROUP BY 1, 2 "
        "ORDER BY COUNT(*) DESC, 1, 2 LIMIT 1"
    )
    (document,) = one(
        "SELECT document_id FROM measures GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1"
    )
    deep = one(
        "SELECT document_id, ordinal, id FROM measures ORDER BY document_id, ordinal, id "
        "LIMIT 1 OFFSET ?",
        count // 2,
    )
    with urllib.request.urlopen(f"{base}/v1/measures?limit=1") as answer:
        template = json.load(answer)["meta"]["next_cursor"]
    body = json.loads(base64.urlsafe_b64decode(template + "=" * (-len(template) % 4)))
    body["k"] = list(deep)
    cursor = (
        base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode())
        .decode()
        .rstrip("=")
    )
    values = {
        "MEASURE": measure,
        "AGENCY": agency,
        "ROLE": role,
        "DOCUMENT": document,
        "CURSOR": cursor,
        "NEXT": measure,
        "WORD": "医疗",
        "PHRASE": '"互联网医院"',
        "MEASURES": str(count),
    }
    for word in ("WORD", "PHRASE"):
        term = values[word].strip('"')
        (hits,) = one(
            "SELECT COUNT(*) FROM measures WHERE instr(COALESCE(title, '') || text, ?) > 0",
            term,
        )
        if hits == 0:
            sys.exit(f"{term} occurs in no measure of {db}; pick another {word.lower()}")
    # Datasette's URLs name a row by its tilde-encoded primary key (`.` is `~2E`).
    values["DATASETTE_MEASURE"] = tilde(measure)
    values["DATASETTE_NEXT"] = tilde(measure)
    for name, value in values.items():
        print(f"{name}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
