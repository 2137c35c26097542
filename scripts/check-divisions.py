#!/usr/bin/env python3
"""Validate data/divisions.tsv (standard library only).

    python3 scripts/check-divisions.py [path]     # default: data/divisions.tsv

Checks: header, unique codes and ids, ids are slugs, every parent exists and sits one tier
up, levels are valid, shorts have 2+ characters, no empty name or name_en, rows sorted by
code, LF line endings, and a few required rows. Exits non-zero on the first report.
"""

import re
import sys

from tsv import read_tsv

HEADER = ["code", "id", "name", "short", "level", "parent", "name_en"]
LEVELS = {"national", "province", "municipality", "prefecture", "district", "county"}
PARENT_LEVELS = {
    "national": {None},
    "province": {"national"},
    "municipality": {"national"},
    "prefecture": {"province"},
    "district": {"prefecture", "province", "municipality"},
    "county": {"prefecture", "province", "municipality"},
}
REQUIRED = {  # id -> (code, name)
    "china": ("000000", "中国"),
    "chongqing": ("500000", "重庆市"),
    "chongqing-yubei": ("500112", "渝北区"),
    "shanghai": ("310000", "上海市"),
    "shanghai-hongkou": ("310109", "虹口区"),
    "shanghai-yangpu": ("310110", "杨浦区"),
    "guangdong": ("440000", "广东省"),
    "guangdong-guangzhou": ("440100", "广州市"),
    "guangdong-guangzhou-yuexiu": ("440104", "越秀区"),
    "jilin-yanbian": ("222400", "延边朝鲜族自治州"),
    "neimenggu": ("150000", "内蒙古自治区"),
}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CODE = re.compile(r"^[0-9]{6}$")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "data/divisions.tsv"
    errors = []
    rows, problems, has_cr = read_tsv(path, HEADER)
    if has_cr:
        errors.append("file contains CR characters (must be LF only)")
    errors += [f"line {n}: {message}" if n else message for n, message in problems]
    if rows is None:
        report(errors)

    by_code, by_id = {}, {}
    prev = None
    for n, r in rows:
        if not CODE.match(r["code"]):
            errors.append(f"line {n}: bad code {r['code']!r}")
        if r["code"] in by_code:
            errors.append(f"line {n}: duplicate code {r['code']}")
        by_code[r["code"]] = r
        if prev is not None and r["code"] <= prev:
            errors.append(f"line {n}: not sorted by code ({prev} then {r['code']})")
        prev = r["code"]
        if not SLUG.match(r["id"]):
            errors.append(f"line {n}: id {r['id']!r} is not a slug [a-z0-9-]")
        if r["id"] in by_id:
            errors.append(f"line {n}: duplicate id {r['id']}")
        by_id[r["id"]] = r
        if r["level"] not in LEVELS:
            errors.append(f"line {n}: bad level {r['level']!r}")
        if not r["name"].strip():
            errors.append(f"line {n}: empty name")
        if not r["name_en"].strip():
            errors.append(f"line {n}: empty name_en")
        if r["short"]:
            for s in r["short"].split("|"):
                if len(s) < 2:
                    errors.append(f"line {n}: short {s!r} has fewer than 2 characters")
        for k, v in r.items():
            if v != v.strip():
                errors.append(f"line {n}: {k} has surrounding whitespace")

    for n, r in rows:
        lv = r["level"]
        if lv not in LEVELS:
            continue
        if lv == "national":
            if r["parent"]:
                errors.append(f"line {n}: national row must have an empty parent")
            continue
        p = by_code.get(r["parent"])
        if p is None:
            errors.append(f"line {n}: parent {r['parent']!r} of {r['code']} does not exist")
            continue
        if p["level"] not in PARENT_LEVELS[lv]:
            errors.append(f"line {n}: {lv} {r['code']} has a {p['level']} parent {p['code']}")
        if lv in ("district", "county") and p["level"] == "prefecture" \
                and r["code"][:4] != p["code"][:4]:
            errors.append(f"line {n}: code {r['code']} does not start with parent's "
                          f"{p['code'][:4]}")
        if p["level"] in ("province", "municipality") and r["code"][:2] != p["code"][:2]:
            errors.append(f"line {n}: code {r['code']} not under parent {p['code']}")

    for rid, (code, name) in REQUIRED.items():
        r = by_id.get(rid)
        if r is None:
            errors.append(f"required id {rid} missing")
        elif (r["code"], r["name"]) != (code, name):
            errors.append(f"required id {rid}: got {r['code']} {r['name']}, "
                          f"expected {code} {name}")

    counts = {}
    for _, r in rows:
        counts[r["level"]] = counts.get(r["level"], 0) + 1
    provincial = counts.get("province", 0) + counts.get("municipality", 0)
    if not 31 <= provincial <= 34:
        errors.append(f"{provincial} province-level rows, expected 31-34")
    if counts.get("municipality") != 4:
        errors.append(f"{counts.get('municipality')} municipalities, expected 4")
    if not 300 <= counts.get("prefecture", 0) <= 360:
        errors.append(f"{counts.get('prefecture')} prefecture rows, expected about 333")
    county_level = counts.get("district", 0) + counts.get("county", 0)
    if not 2700 <= county_level <= 3000:
        errors.append(f"{county_level} county-level rows, expected about 2,850")

    report(errors)
    print(f"{path}: OK, {len(rows)} rows: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def report(errors):
    if errors:
        for e in errors[:50]:
            print("ERROR:", e, file=sys.stderr)
        if len(errors) > 50:
            print(f"... and {len(errors) - 50} more", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
