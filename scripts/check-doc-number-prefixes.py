#!/usr/bin/env python3
"""Validate data/doc_number_prefixes.tsv against data/divisions.tsv (standard library only).

    python3 scripts/check-doc-number-prefixes.py [prefixes.tsv [divisions.tsv]]

Checks: leading '# ' comments and header; three columns; no duplicate or empty prefix; no
whitespace or 〔 in a prefix; every code is 'ambiguous' or a code of data/divisions.tsv; and
for every one-character province-level code X, that none of the province government's
common codes (X政发 X府发 X政办发 X府办发 X政 X府 X府办 X政办) resolves, by longest
prefix, to a row pointing elsewhere, unless that row is marked ambiguous or listed in
ALLOWED_SHADOWS below with the reason. Exits non-zero on any error.
"""

import sys

from tsv import read_tsv

HEADER = ["prefix", "code", "note"]
PROVINCE_FORMS = ["政发", "府发", "政办发", "府办发", "政", "府", "府办", "政办"]
# Longer prefixes that deliberately take one of the forms above from a province, because
# that province's own government never issues under it.
ALLOWED_SHADOWS = {
    "苏府": "苏州市人民政府; 江苏省人民政府 issues 苏政发 / 苏政办发, never 苏府",
}


def read_checked(path, header):
    """The rows of the TSV file `path` and the errors found reading it."""
    rows, problems, has_cr = read_tsv(path, header, exact=False)
    errors = [f"{path}: contains CR characters (must be LF only)"] if has_cr else []
    errors += [f"{path}:{n}: {message}" if n else f"{path}: {message}" for n, message in problems]
    return rows or [], errors


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "data/doc_number_prefixes.tsv"
    div_path = sys.argv[2] if len(sys.argv) > 2 else "data/divisions.tsv"
    rows, errors = read_checked(path, HEADER)
    divs, div_errors = read_checked(div_path, ["code", "id", "name"])
    errors += div_errors
    div_by_code = {r["code"]: r for _, r in divs}

    table = {}
    for n, r in rows:
        p, code = r["prefix"], r["code"]
        if not p:
            errors.append(f"{path}:{n}: empty prefix")
            continue
        if p != p.strip() or " " in p or "〔" in p or "[" in p:
            errors.append(f"{path}:{n}: prefix {p!r} has whitespace or a bracket")
        if p in table:
            errors.append(f"{path}:{n}: duplicate prefix {p} (first on line {table[p][0]})")
            continue
        if code != "ambiguous" and code not in div_by_code:
            errors.append(f"{path}:{n}: code {code!r} of {p} is not in {div_path}")
        if not r["note"].strip():
            errors.append(f"{path}:{n}: empty note for {p}")
        table[p] = (n, code)

    def resolve(issuer):
        best = None
        for k in range(len(issuer), 0, -1):
            if issuer[:k] in table:
                best = issuer[:k]
                break
        return best

    for p, (n, code) in sorted(table.items()):
        if len(p) != 1 or code == "ambiguous" or code not in div_by_code:
            continue
        if div_by_code[code].get("parent") != "000000":
            continue  # only province-level one-character codes
        for form in PROVINCE_FORMS:
            issuer = p + form
            hit = resolve(issuer)
            hit_code = table[hit][1]
            if hit_code in (code, "ambiguous") or hit in ALLOWED_SHADOWS:
                continue
            errors.append(f"{path}:{table[hit][0]}: {hit} ({hit_code}) shadows {issuer}, "
                          f"a code of province {p} ({code})")

    for p in ALLOWED_SHADOWS:
        if p not in table:
            errors.append(f"ALLOWED_SHADOWS lists {p}, which is not in {path}")

    if errors:
        for e in errors:
            print("ERROR:", e, file=sys.stderr)
        sys.exit(1)
    counts = {"national": 0, "province": 0, "city/district": 0, "ambiguous": 0}
    for p, (n, code) in table.items():
        if code == "ambiguous":
            counts["ambiguous"] += 1
        elif code == "000000":
            counts["national"] += 1
        elif div_by_code[code].get("parent") == "000000":
            counts["province"] += 1
        else:
            counts["city/district"] += 1
    print(f"{path}: OK, {len(table)} prefixes: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
