#!/usr/bin/env python3
"""Validate data/agency_model.toml, the standard-agency model (standard library only).

    python3 scripts/check-agency-model.py [path]     # default: data/agency_model.toml

Checks:
  - the file parses as TOML and holds only [[department]], [[national]], [[collective]];
  - every entry has exactly the known fields, of the right types, and a valid kind/scope;
  - keys are slugs, unique within each table; names have no whitespace;
  - every department has a level name (province/municipality/prefecture/county/all) or a
    full pattern (full/full_<level>), never both; patterns use only {place}/{place_short};
    `printed` patterns contain {L}, short forms do not;
  - no printed form is claimed by two departments, after expanding {L} to 省 市 区 县 over
    level names, short forms and printed patterns (every clash is listed);
  - national aliases (which include the name) are unique across national bodies, collective
    names and aliases across collectives; required national aliases and collectives are present;
  - resolution examples, run with a small reference implementation of the matching rules
    described in the file's header, give the expected full names.
Exits non-zero when anything is reported.
"""

import re
import sys
import tomllib
from pathlib import Path

LEVELS = ["province", "municipality", "prefecture", "county"]
# nearest other level classes, for the ending rule of case (b)
NEAREST = {
    "province": ["municipality", "prefecture", "county"],
    "municipality": ["province", "prefecture", "county"],
    "prefecture": ["municipality", "county", "province"],
    "county": ["prefecture", "municipality", "province"],
}
DEPT_KINDS = {
    "government", "government_office", "government_department", "party_organ",
    "public_institution", "mass_organization", "court", "procuratorate",
    "people_congress", "leading_group",
}
NATIONAL_KINDS = DEPT_KINDS | {"company"}
SCOPES = {"any", "national", "province", "municipality", "prefecture", "county"}
FULL_KEYS = ["full"] + ["full_" + l for l in LEVELS]
DEPT_FIELDS = {"key", "kind", "all", "short", "printed", "name_en", *LEVELS, *FULL_KEYS}
NATIONAL_FIELDS = {"key", "name", "aliases", "name_en", "kind"}
COLLECTIVE_FIELDS = {"name", "aliases", "name_en", "scope"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PLACEHOLDER = re.compile(r"\{([a-z_A-Z]*)\}")
EXPAND_L = ["省", "市", "区", "县"]

REQUIRED_NATIONAL_ALIASES = [
    "国家发展改革委", "发展改革委", "住房城乡建设部", "自然资源部", "财政部", "银保监会", "国管局",
    "人民银行", "税务总局", "供销合作总社", "国家邮政局", "文化和旅游部", "国家统计局",
    "国家卫生健康委", "市场监管总局", "交通运输部", "商务部", "中国民航局", "中国国家铁路集团有限公司",
]
REQUIRED_COLLECTIVES = [
    "各省级人民政府", "各省（区、市）人民政府", "各地区", "各地", "地方各级人民政府", "各部门", "各有关部门",
    "有关部门", "相关部门", "各相关部门", "国务院各有关部门", "国务院有关部门", "各有关单位", "有关单位",
    "相关单位", "各相关单位", "各市人民政府", "各设区市人民政府", "各设区市政府", "各市、县（区）人民政府",
    "各县（市、区）人民政府", "各区县（自治县）人民政府", "各区人民政府", "各区政府", "各区、县级市",
    "各区、县级市人民政府", "各有关区、县级市", "各区县", "各县（市、区）", "各镇街", "各镇（街道）", "各街道",
    "各乡镇（街道）", "各园区", "各开发区", "试点城市政府", "试点地区", "试点城市", "各试点城市", "各级人民政府",
    "各级政府", "市级有关部门", "区级有关部门", "省直有关部门", "省直各有关部门", "市直有关部门",
    "市直各有关单位", "各项目牵头单位", "各成员单位", "领导小组成员单位", "各行业主管部门", "行业主管部门",
    "各级各部门",
]

# (place, place_short, level class, printed, expected full name)
EXAMPLES = [
    ("江西省", "江西", "province", "省商务厅", "江西省商务厅"),
    ("江西省", "江西", "province", "省交通厅", "江西省交通运输厅"),
    ("江西省", "江西", "province", "省交通运输厅", "江西省交通运输厅"),
    ("江西省", "江西", "province", "省发展改革委", "江西省发展和改革委员会"),
    ("江西省", "江西", "province", "省市场监管局", "江西省市场监督管理局"),
    ("江西省", "江西", "province", "省工业和信息化厅", "江西省工业和信息化厅"),
    ("广州市", "广州", "prefecture", "市委组织部", "中共广州市委组织部"),
    ("广州市", "广州", "prefecture", "市财政局", "广州市财政局"),
    ("广州市", "广州", "prefecture", "市人力资源和社会保障局", "广州市人力资源和社会保障局"),
    ("广州市", "广州", "prefecture", "市工商局", "广州市工商行政管理局"),
    ("广州市", "广州", "prefecture", "市工商联", "广州市工商业联合会"),
    ("广州市", "广州", "prefecture", "市科协", "广州市科学技术协会"),
    ("广州市", "广州", "prefecture", "团市委", "共青团广州市委员会"),
    ("广州市", "广州", "prefecture", "市法院", "广州市中级人民法院"),
    ("广州市", "广州", "prefecture", "市检察院", "广州市人民检察院"),
    ("广州市", "广州", "prefecture", "市国土房管局", "广州市国土资源和房屋管理局"),
    ("广州市", "广州", "prefecture", "市发展改革委", "广州市发展和改革委员会"),
    ("广州市", "广州", "prefecture", "市经贸委", "广州市经济贸易委员会"),
    ("广州市", "广州", "prefecture", "市编办", "中共广州市委机构编制委员会办公室"),
    ("山东省", "山东", "province", "省工业和信息化厅", "山东省工业和信息化厅"),
    ("山东省", "山东", "province", "省委网信办", "中共山东省委网络安全和信息化委员会办公室"),
    ("山东省", "山东", "province", "省大数据局", "山东省大数据局"),
    ("上海市", "上海", "municipality", "市科委", "上海市科学技术委员会"),
    ("上海市", "上海", "municipality", "市经济信息化委", "上海市经济和信息化委员会"),
    ("上海市", "上海", "municipality", "市商务委", "上海市商务委员会"),
    ("上海市", "上海", "municipality", "市教委", "上海市教育委员会"),
    # further examples of the rules in the header
    ("江西省", "江西", "province", "江西省商务厅", "江西省商务厅"),
    ("江西省", "江西", "province", "省政府", "江西省人民政府"),
    ("江西省", "江西", "province", "省政府办公厅", "江西省人民政府办公厅"),
    ("江西省", "江西", "province", "省委", "中共江西省委员会"),
    ("江西省", "江西", "province", "省委办公厅", "中共江西省委办公厅"),
    ("江西省", "江西", "province", "省纪委监委", "中共江西省纪律检查委员会"),
    ("江西省", "江西", "province", "省政协", "政协江西省委员会"),
    ("江西省", "江西", "province", "省法院", "江西省高级人民法院"),
    ("江西省", "江西", "province", "省税务局", "国家税务总局江西省税务局"),
    ("江西省", "江西", "province", "省银保监局", "中国银保监会江西监管局"),
    ("江西省", "江西", "province", "省金融监管局", "江西省地方金融监督管理局"),
    ("江西省", "江西", "province", "省林业局", "江西省林业局"),
    ("江西省", "江西", "province", "省林业厅", "江西省林业厅"),
    ("浙江省", "浙江", "province", "省经信委", "浙江省经济和信息化委员会"),
    ("广西壮族自治区", "广西", "province", "自治区发展改革委", "广西壮族自治区发展和改革委员会"),
    ("广西壮族自治区", "广西", "province", "区委组织部", "中共广西壮族自治区委组织部"),
    ("广州市", "广州", "prefecture", "广州市委组织部", "中共广州市委组织部"),
    ("广州市", "广州", "prefecture", "市委办", "中共广州市委办公室"),
    ("广州市", "广州", "prefecture", "市政府办公厅", "广州市人民政府办公厅"),
    ("广州市", "广州", "prefecture", "市政府办", "广州市人民政府办公室"),
    ("广州市", "广州", "prefecture", "市中院", "广州市中级人民法院"),
    ("广州市", "广州", "prefecture", "市农委", "广州市农业委员会"),
    ("广州市", "广州", "prefecture", "市市场监管局", "广州市市场监督管理局"),
    ("广州市", "广州", "prefecture", "市银保监分局", "中国银保监会广州监管分局"),
    ("北京市", "北京", "municipality", "市商务局", "北京市商务局"),
    ("上海市虹口区", "虹口", "county", "区商务委", "上海市虹口区商务委员会"),
    ("上海市虹口区", "虹口", "county", "区科委", "上海市虹口区科学技术委员会"),
    ("上海市虹口区", "虹口", "county", "区委宣传部", "中共上海市虹口区委宣传部"),
    ("上海市虹口区", "虹口", "county", "区人社局", "上海市虹口区人力资源和社会保障局"),
    ("重庆市渝北区", "渝北", "county", "区教委", "重庆市渝北区教育委员会"),
    ("某某县", "某某", "county", "县发改委", "某某县发展和改革委员会"),
    ("某某县", "某某", "county", "县发改局", "某某县发展和改革局"),
    ("某某县", "某某", "county", "县卫健局", "某某县卫生健康局"),
]
# printed names the model must leave unresolved (the body does not exist at that level)
UNRESOLVED = [
    ("广州市", "广州", "prefecture", "市药监局"),
    ("某某县", "某某", "county", "县药监局"),
]

problems = []


def report(msg):
    problems.append(msg)


# ----------------------------------------------------------------------------------------
# reference implementation of the matching


def level_chars(place, cls):
    """The level characters a document of `place` prints instead of the place."""
    if cls == "province":
        return ["自治区", "区"] if place.endswith("自治区") else ["省"]
    if cls == "municipality":
        return ["市"]
    for suffix, chars in [
        ("自治州", ["州", "自治州"]), ("自治县", ["县", "自治县"]), ("自治旗", ["旗", "自治旗"]),
        ("地区", ["地区"]), ("林区", ["区"]), ("特区", ["区"]),
        ("州", ["州"]), ("盟", ["盟"]), ("市", ["市"]), ("区", ["区"]), ("县", ["县"]), ("旗", ["旗"]),
    ]:
        if place.endswith(suffix):
            return chars
    return []


def ending(name):
    for suffix, cls in [("办公厅", "办公厅"), ("办公室", "办公室"), ("委员会", "委"), ("委", "委"),
                        ("局", "局"), ("厅", "厅"), ("院", "院")]:
        if name.endswith(suffix):
            return cls
    return None


def level_names(d):
    """level class -> standard name (without place), for entries without full patterns."""
    out = {}
    for l in LEVELS:
        if isinstance(d.get(l), str):
            out[l] = d[l]
        elif isinstance(d.get("all"), str):
            out[l] = d["all"]
    return out


def full_patterns(d):
    """level class -> full-name pattern, for entries with full patterns."""
    out = {}
    for l in LEVELS:
        p = d.get("full_" + l, d.get("full"))
        if isinstance(p, str):
            out[l] = p
    return out


def instantiate(pattern, place, place_short):
    return pattern.replace("{place_short}", place_short).replace("{place}", place)


def match_entry(d, printed, place, place_short, cls):
    """How `printed` matches department `d`: (case, rest) or None."""
    prefixes = level_chars(place, cls) + [place]
    names = set(level_names(d).values())
    shorts = set(d.get("short", []))
    for p in sorted(set(full_patterns(d).values())):
        if instantiate(p, place, place_short) == printed:
            return ("d", None)
    for L in prefixes:
        for pat in d.get("printed", []):
            if pat.replace("{L}", L) == printed:
                return ("c", None)
    for L in prefixes:
        if printed.startswith(L):
            rest = printed[len(L):]
            if rest in names:
                return ("a", rest)
            if rest in shorts:
                return ("b", rest)
    return None


def result_for(d, case, rest, place, place_short, cls):
    fulls = full_patterns(d)
    if fulls:
        p = fulls.get(cls)
        return instantiate(p, place, place_short) if p else None
    if case == "a":
        return place + rest
    names = level_names(d)
    name = names.get(cls)
    if name is None:
        return None
    want = ending(rest)
    if want is not None and ending(name) != want:
        for other in NEAREST[cls]:
            n = names.get(other)
            if n is not None and ending(n) == want:
                name = n
                break
    return place + name


def resolve(departments, printed, place, place_short, cls):
    hits = []
    for d in departments:
        m = match_entry(d, printed, place, place_short, cls)
        if m:
            hits.append((d, m))
    if not hits:
        return None, []
    if len(hits) > 1:
        return None, [d["key"] for d, _ in hits]
    d, (case, rest) = hits[0]
    return result_for(d, case, rest, place, place_short, cls), [d["key"]]


# ----------------------------------------------------------------------------------------
# structural checks


def check_string(where, field, value, allow_empty=False):
    if not isinstance(value, str):
        report(f"{where}: {field} must be a string")
        return False
    if not value and not allow_empty:
        report(f"{where}: {field} is empty")
        return False
    if re.search(r"\s", value):
        report(f"{where}: {field} {value!r} contains whitespace")
        return False
    return True


def check_text(where, field, value):
    """An English name: a non-empty string without stray whitespace."""
    if not isinstance(value, str) or not value.strip():
        report(f"{where}: {field} must be a non-empty string")
    elif value != value.strip() or "  " in value or "\n" in value:
        report(f"{where}: {field} {value!r} has stray whitespace")


def check_string_list(where, field, value):
    if not isinstance(value, list):
        report(f"{where}: {field} must be an array of strings")
        return []
    out = []
    for v in value:
        if check_string(where, field, v):
            out.append(v)
    if len(set(out)) != len(out):
        report(f"{where}: {field} lists a form twice")
    return out


def check_entry(where, entry, fields, choice, keyed=None):
    """What every entry is checked for, in this order: only known fields; where `keyed` is
    (table, index, keys seen), a slug key not seen before (added to the keys); the field
    `choice` = (name, allowed values) one of its values; an English name."""
    unknown = set(entry) - fields
    if unknown:
        report(f"{where}: unknown field(s) {sorted(unknown)}")
    if keyed is not None:
        table, i, keys = keyed
        key = entry.get("key")
        if not isinstance(key, str) or not SLUG.match(key):
            report(f"{where}: key must be a slug [a-z0-9-]")
        elif key in keys:
            report(f"{where}: duplicate key (also {table} #{keys[key] + 1})")
        else:
            keys[key] = i
    field, allowed = choice
    if entry.get(field) not in allowed:
        report(f"{where}: invalid {field} {entry.get(field)!r}")
    check_text(where, "name_en", entry.get("name_en"))


def report_missing(required, present, what):
    """Reports each of `required` that is not in `present`, as `{what} {item} missing`."""
    for item in required:
        if item not in present:
            report(f"{what} {item} missing")


def check_departments(departments):
    keys = {}
    for i, d in enumerate(departments):
        where = f"department #{i + 1} ({d.get('key', '?')})"
        check_entry(where, d, DEPT_FIELDS, ("kind", DEPT_KINDS), ("department", i, keys))
        has_levels = False
        for l in LEVELS + ["all"]:
            if l in d and check_string(where, l, d[l]):
                has_levels = True
                if "{" in d[l]:
                    report(f"{where}: level name {l} must not contain a placeholder")
        has_full = False
        for k in FULL_KEYS:
            if k in d and check_string(where, k, d[k]):
                has_full = True
                names = PLACEHOLDER.findall(d[k])
                if not names:
                    report(f"{where}: {k} {d[k]!r} has no {{place}} or {{place_short}}")
                for n in names:
                    if n not in ("place", "place_short"):
                        report(f"{where}: {k} uses unknown placeholder {{{n}}}")
        if not has_levels and not has_full:
            report(f"{where}: needs a level name (province/municipality/prefecture/county/all) or a full pattern")
        if has_levels and has_full:
            report(f"{where}: has both level names and full patterns")
        if "all" in d and all(l in d for l in LEVELS):
            report(f"{where}: `all` is given but every level overrides it")
        for s in check_string_list(where, "short", d.get("short", [])):
            if "{" in s:
                report(f"{where}: short form {s!r} contains a placeholder (use printed)")
            if s in level_names(d).values():
                report(f"{where}: short form {s!r} repeats a level name (level names are implicit)")
        for p in check_string_list(where, "printed", d.get("printed", [])):
            if "{L}" not in p and "{place_short}" not in p:
                report(f"{where}: printed pattern {p!r} has neither {{L}} nor {{place_short}}")
            rest = p.replace("{L}", "").replace("{place_short}", "")
            if "{" in rest or "}" in rest:
                report(f"{where}: printed pattern {p!r} uses a placeholder other than {{L}} and {{place_short}}")


def department_forms(d):
    forms = set()
    texts = set(level_names(d).values()) | set(d.get("short", []))
    for L in EXPAND_L:
        for t in texts:
            forms.add(L + t)
        for p in d.get("printed", []):
            forms.add(p.replace("{L}", L))
    return forms


def check_clashes(departments):
    owners = {}
    for d in departments:
        for f in department_forms(d):
            owners.setdefault(f, []).append(d.get("key"))
    for f in sorted(owners):
        ks = owners[f]
        if len(ks) > 1:
            report(f"clash: printed form {f} is claimed by {', '.join(ks)}")


def check_national(national):
    keys, seen = {}, {}
    aliases = set()
    for i, n in enumerate(national):
        where = f"national #{i + 1} ({n.get('key', '?')})"
        check_entry(where, n, NATIONAL_FIELDS, ("kind", NATIONAL_KINDS), ("national", i, keys))
        key = n.get("key")
        forms = []
        if check_string(where, "name", n.get("name")):
            forms.append(n["name"])
        als = check_string_list(where, "aliases", n.get("aliases", []))
        aliases.update(als)
        if n.get("name") not in als:
            report(f"{where}: aliases must include the name itself")
        forms += [a for a in als if a != n.get("name")]
        for f in forms:
            if f in seen and seen[f] != key:
                report(f"national: {f} is claimed by {seen[f]} and {key}")
            seen.setdefault(f, key)
    report_missing(REQUIRED_NATIONAL_ALIASES, aliases, "national: required alias")


def check_collectives(collectives):
    seen = {}
    for i, c in enumerate(collectives):
        where = f"collective #{i + 1} ({c.get('name', '?')})"
        check_entry(where, c, COLLECTIVE_FIELDS, ("scope", SCOPES))
        forms = []
        if check_string(where, "name", c.get("name")):
            forms.append(c["name"])
        forms += check_string_list(where, "aliases", c.get("aliases", []))
        for f in forms:
            if f in seen:
                report(f"collective: {f} is listed twice ({seen[f]} and {where})")
            seen.setdefault(f, where)
    report_missing(REQUIRED_COLLECTIVES, seen, "collective: required phrase")


def check_examples(departments):
    for place, short, cls, printed, expected in EXAMPLES:
        got, keys = resolve(departments, printed, place, short, cls)
        if len(keys) > 1:
            report(f"example: {printed} in {place} is ambiguous: {', '.join(keys)}")
        elif got != expected:
            report(f"example: {printed} in {place} ({cls}) gives {got} ({', '.join(keys) or 'no entry'}), expected {expected}")
    for place, short, cls, printed in UNRESOLVED:
        got, keys = resolve(departments, printed, place, short, cls)
        if got is not None:
            report(f"example: {printed} in {place} ({cls}) should stay unresolved, gives {got} ({', '.join(keys)})")


def main():
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "data" / "agency_model.toml")
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1
    unknown = set(data) - {"department", "national", "collective"}
    if unknown:
        report(f"unknown table(s) {sorted(unknown)}")
    departments = data.get("department", [])
    national = data.get("national", [])
    collectives = data.get("collective", [])
    for name, table in [("department", departments), ("national", national), ("collective", collectives)]:
        if not isinstance(table, list) or not table or not all(isinstance(t, dict) for t in table):
            report(f"[[{name}]] must be a non-empty array of tables")
            return finish(path)
    check_departments(departments)
    check_clashes(departments)
    check_national(national)
    check_collectives(collectives)
    check_examples(departments)
    return finish(path, len(departments), len(national), len(collectives))


def finish(path, nd=0, nn=0, nc=0):
    for p in problems:
        print(f"{path}: {p}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{path}: ok: {nd} departments, {nn} national bodies, {nc} collectives, "
          f"{len(EXAMPLES) + len(UNRESOLVED)} resolution examples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
