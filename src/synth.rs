//! A synthetic corpus for scale tests: documents of the genre recombined from the real
//! corpus — its section headings, sentences, agencies' departments, goal metrics and
//! annotation forms — over generated jurisdictions, with the gazetteer and jurisdiction
//! files they need. Deterministic for a seed.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use crate::corpus::document::is_preamble_heading;
use crate::corpus::model::{Corpus, Level};
use crate::corpus::CorpusError;

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthOptions {
    /// Number of documents.
    pub documents: usize,
    /// Random seed.
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthSummary {
    /// Documents written.
    pub documents: usize,
    /// Jurisdictions written.
    pub jurisdictions: usize,
    /// Agencies written.
    pub agencies: usize,
    /// Measures written.
    pub measures: usize,
}

/// SplitMix64: small, fast and reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            0
        } else {
            (self.next() % bound as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
}

/// A department as the real gazetteer names it in a district: `商务委` / `商务委员会`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Department {
    short: String,
    full: String,
    english: String,
    kind: String,
}

/// Material drawn from the real corpus.
struct Material {
    departments: Vec<Department>,
    headings: Vec<String>,
    sentences: Vec<String>,
    metrics: Vec<(String, String)>,
    topics: Vec<String>,
}

const PLACE_CHARS: &[char] = &[
    '安', '宁', '平', '和', '兴', '华', '昌', '丰', '泰', '康', '元', '明', '清', '河', '山', '江',
    '川', '林', '泉', '阳', '云', '东', '西', '南', '北', '中', '新', '永', '长', '顺', '怀', '德',
    '广', '宏', '嘉', '金', '银', '龙', '凤', '瑞',
];

/// Outside documents the generated ones cite, as the real corpus does.
const OUTSIDE: &[(&str, &str)] = &[
    (
        "国务院关于积极推进“互联网+”行动的指导意见",
        "国发〔2015〕40号",
    ),
    (
        "国务院办公厅关于促进平台经济规范健康发展的指导意见",
        "国办发〔2019〕38号",
    ),
    (
        "国务院关于印发新一代人工智能发展规划的通知",
        "国发〔2017〕35号",
    ),
];

fn place_name(index: usize, offset: usize, length: usize) -> String {
    let mut name = String::new();
    let mut rest = index;
    for position in 0..length {
        let char_index = (rest + offset + position * 7) % PLACE_CHARS.len();
        name.push(PLACE_CHARS[char_index]);
        rest /= PLACE_CHARS.len();
    }
    name
}

fn gather(source: &Corpus) -> Result<Material, String> {
    let mut departments = Vec::new();
    let mut seen = HashSet::new();
    let mut seen_full = HashSet::new();
    for agency in &source.agencies {
        let Some(jurisdiction) = source
            .jurisdictions
            .iter()
            .find(|j| Some(&j.id) == agency.jurisdiction.as_ref())
        else {
            continue;
        };
        if jurisdiction.level != "district" || agency.kind != "government_department" {
            continue;
        }
        let Some(short) = agency
            .aliases
            .iter()
            .find(|a| a.starts_with('区') && a.chars().count() >= 3)
        else {
            continue;
        };
        let prefixes: Vec<&String> = std::iter::once(&jurisdiction.name)
            .chain(&jurisdiction.aliases)
            .collect();
        let Some(full) = prefixes
            .iter()
            .filter(|p| agency.name.starts_with(p.as_str()))
            .max_by_key(|p| p.len())
            .map(|p| agency.name[p.len()..].to_string())
        else {
            continue;
        };
        let short = short.trim_start_matches('区').to_string();
        if full.is_empty() || seen.contains(&short) || seen_full.contains(&full) {
            continue;
        }
        seen.insert(short.clone());
        seen_full.insert(full.clone());
        let english = agency
            .name_en
            .clone()
            .unwrap_or_default()
            .split_once(' ')
            .map(|(_, rest)| rest.trim_start_matches("District ").to_string())
            .unwrap_or_default();
        departments.push(Department {
            short,
            full,
            english,
            kind: agency.kind.clone(),
        });
    }
    let mut headings = Vec::new();
    let mut sentences = Vec::new();
    let mut metrics = Vec::new();
    let mut topics = Vec::new();
    for document in &source.documents {
        for provision in &document.outline {
            if provision.level == Level::Section {
                if let Some(title) = &provision.title {
                    // Framing headings (发展目标, 总体思路 …) would make the items below them
                    // framing text rather than measures.
                    if title.chars().count() >= 4
                        && !is_preamble_heading(title)
                        && !headings.contains(title)
                    {
                        headings.push(title.clone());
                    }
                }
            }
        }
        for measure in &document.measures {
            for sentence in measure.text.split(['。', '\n']) {
                let sentence = sentence.trim();
                let length = sentence.chars().count();
                let clean = !sentence.contains(['（', '）', '《', '》', '：'])
                    && !sentence.contains("年")
                    && crate::corpus::outline::parse_marker(sentence).is_none();
                if (12..=120).contains(&length) && clean && sentence.contains('，') {
                    sentences.push(sentence.to_string());
                }
            }
        }
        for goal in &document.goals {
            if !goal.metric.contains(['“', '”']) {
                metrics.push((goal.metric.clone(), goal.unit.clone()));
            }
        }
        let title = &document.metadata.title;
        if let (Some(start), Some(end)) = (title.find("关于"), title.rfind('的')) {
            if start + "关于".len() < end {
                topics.push(title[start + "关于".len()..end].to_string());
            }
        }
    }
    for theme in &source.themes {
        topics.push(format!("促进{}发展", theme.name));
    }
    if departments.len() < 5 || headings.is_empty() || sentences.len() < 10 || metrics.is_empty() {
        return Err("the source corpus has too little material (district departments, section headings, sentences, goals) to recombine".into());
    }
    Ok(Material {
        departments,
        headings,
        sentences,
        metrics,
        topics,
    })
}

struct City {
    id: String,
    name: String,
    districts: Vec<District>,
}

struct District {
    id: String,
    name: String,
    code: String,
}

/// Writes a synthetic data folder for `options` into `out`, drawing material from the real
/// corpus in `source_dir`.
pub fn write_synthetic_corpus(
    source_dir: &Path,
    out: &Path,
    options: SynthOptions,
) -> Result<SynthSummary, CorpusError> {
    let source = crate::corpus::load_corpus(source_dir)?;
    let material = gather(&source).map_err(|reason| CorpusError::new(source_dir, None, reason))?;
    let mut rng = Rng(options.seed ^ 0x5EED_0F2E_11CE);
    let documents_dir = out.join("documents");
    std::fs::create_dir_all(&documents_dir)
        .map_err(|e| CorpusError::new(&documents_dir, None, format!("cannot create: {e}")))?;

    let districts_per_city = 10;
    let city_count = options.documents.div_ceil(100).max(1);
    let mut cities = Vec::with_capacity(city_count);
    for c in 0..city_count {
        let city_name = format!("{}市", place_name(c, 3, 2 + usize::from(c >= 1600)));
        let districts = (0..districts_per_city)
            .map(|d| {
                let index = c * districts_per_city + d;
                District {
                    id: format!("synth-c{c}-d{d}"),
                    name: format!(
                        "{}区",
                        place_name(index, 11, 2 + usize::from(index >= 1600))
                    ),
                    code: format!("{}区府办发", place_name(index, 11, 1)),
                }
            })
            .collect();
        cities.push(City {
            id: format!("synth-c{c}"),
            name: city_name,
            districts,
        });
    }

    let write = |name: &str, text: &str| {
        let path = out.join(name);
        std::fs::write(&path, text)
            .map_err(|e| CorpusError::new(&path, None, format!("cannot write: {e}")))
    };

    // Jurisdictions: the real ones (the real agencies and national bodies stay resolvable)
    // and the generated cities and districts.
    let mut jurisdictions = String::from(
        "# Generated by `zhengce synth`: real jurisdictions plus synthetic cities and districts.\n",
    );
    for jurisdiction in &source.jurisdictions {
        push_jurisdiction(
            &mut jurisdictions,
            (&jurisdiction.id, &jurisdiction.name, &jurisdiction.name_en),
            &jurisdiction.level,
            jurisdiction.parent.as_deref(),
            &jurisdiction.aliases,
        );
    }
    let national = source
        .jurisdictions
        .iter()
        .find(|j| j.parent.is_none())
        .map(|j| j.id.clone())
        .unwrap_or_else(|| "china".to_string());
    for city in &cities {
        push_jurisdiction(
            &mut jurisdictions,
            (&city.id, &city.name, &format!("Synthetic city {}", city.id)),
            "municipality",
            Some(&national),
            &[],
        );
        for district in &city.districts {
            push_jurisdiction(
                &mut jurisdictions,
                (
                    &district.id,
                    &district.name,
                    &format!("Synthetic district {}", district.id),
                ),
                "district",
                Some(&city.id),
                &[format!("{}{}", city.name, district.name)],
            );
        }
    }
    write("jurisdictions.toml", &jurisdictions)?;

    // Gazetteer: the real agencies, then every department in every generated place.
    let source_agencies =
        std::fs::read_to_string(source_dir.join("agencies.toml")).map_err(|e| {
            CorpusError::new(
                source_dir.join("agencies.toml"),
                None,
                format!("cannot read: {e}"),
            )
        })?;
    let mut agencies = source_agencies;
    let mut agency_count = source.agencies.iter().filter(|a| a.resolved).count();
    agencies.push_str("\n# Generated by `zhengce synth`.\n");
    for city in &cities {
        agency_count += push_departments(
            &mut agencies,
            &material.departments,
            (&city.id, &city.name),
            '市',
        );
        for district in &city.districts {
            let name = format!("{}{}", city.name, district.name);
            agency_count += push_departments(
                &mut agencies,
                &material.departments,
                (&district.id, &name),
                '区',
            );
        }
    }
    write("agencies.toml", &agencies)?;
    let themes = std::fs::read_to_string(source_dir.join("themes.toml")).unwrap_or_default();
    write("themes.toml", &themes)?;
    write(
        "documents.toml",
        "# Generated by `zhengce synth`: every document states its own metadata.\n",
    )?;

    // Documents.
    let mut measure_count = 0;
    let mut written: Vec<(String, String)> = Vec::new();
    for index in 0..options.documents {
        let city = &cities[(index / districts_per_city) % cities.len()];
        let district = &city.districts[index % districts_per_city];
        let year = 2016 + rng.below(8);
        let serial = index + 1;
        let topic = rng.pick(&material.topics).clone();
        let kind = *rng.pick(&["实施方案", "实施意见", "行动计划", "工作方案"]);
        let title = format!("{}{}关于{}的{}", city.name, district.name, topic, kind);
        let number = format!("{}〔{}〕{}号", district.code, year, serial);
        let (text, measures) = document_text(
            &mut rng, &material, &title, &number, year, city, district, &written,
        );
        measure_count += measures;
        let id = format!("synth-{index:06}");
        let path = documents_dir.join(format!("{id}.txt"));
        std::fs::write(&path, text)
            .map_err(|e| CorpusError::new(&path, None, format!("cannot write: {e}")))?;
        written.push((title, number));
        if written.len() > 50 {
            written.remove(0);
        }
    }
    Ok(SynthSummary {
        documents: options.documents,
        jurisdictions: source.jurisdictions.len() + cities.len() * (1 + districts_per_city),
        agencies: agency_count,
        measures: measure_count,
    })
}

/// Appends to an `agencies.toml` text an `[[agency]]` table for each of `departments` in the
/// place `(id, name)`, whose short forms begin with `level` (`市`, `区`); returns how many.
fn push_departments(
    toml: &mut String,
    departments: &[Department],
    (id, name): (&str, &str),
    level: char,
) -> usize {
    for (index, department) in departments.iter().enumerate() {
        let _ = write!(
            toml,
            "\n[[agency]]\nid = \"{id}-{index}\"\njurisdiction = {id:?}\nname = {:?}\naliases = [{:?}]\nname_en = {:?}\nkind = {:?}\n",
            format!("{name}{}", department.full),
            format!("{level}{}", department.short),
            format!("{id} {}", department.english),
            department.kind
        );
    }
    departments.len()
}

/// Appends a `[[jurisdiction]]` table to a `jurisdictions.toml` text: its id, name and
/// English name, level, parent (none for the root) and aliases.
fn push_jurisdiction(
    toml: &mut String,
    (id, name, name_en): (&str, &str, &str),
    level: &str,
    parent: Option<&str>,
    aliases: &[String],
) {
    let parent = parent
        .map(|parent| format!("parent = {parent:?}\n"))
        .unwrap_or_default();
    let _ = write!(
        toml,
        "\n[[jurisdiction]]\nid = {id:?}\nname = {name:?}\nname_en = {name_en:?}\nlevel = {level:?}\n{parent}aliases = {aliases:?}\n"
    );
}

/// One document's text and its number of measures.
#[allow(clippy::too_many_arguments)]
fn document_text(
    rng: &mut Rng,
    material: &Material,
    title: &str,
    number: &str,
    year: usize,
    city: &City,
    district: &District,
    earlier: &[(String, String)],
) -> (String, usize) {
    let mut text = String::new();
    let _ = writeln!(text, "{title}");
    let _ = writeln!(text, "{number}");
    let (cited_title, cited_number) = if !earlier.is_empty() && rng.below(2) == 0 {
        earlier[rng.below(earlier.len())].clone()
    } else {
        let (t, n) = *rng.pick(OUTSIDE);
        (t.to_string(), n.to_string())
    };
    let _ = writeln!(
        text,
        "为贯彻落实《{cited_title}》（{cited_number}）精神，{}，结合我区实际，制定本{}。",
        rng.pick(&material.sentences),
        &title[title.rfind('的').map_or(0, |i| i + '的'.len_utf8())..]
    );
    let _ = writeln!(text, "一、总体要求");
    let _ = writeln!(
        text,
        "{}。{}。",
        rng.pick(&material.sentences),
        rng.pick(&material.sentences)
    );
    let _ = writeln!(text, "二、发展目标");
    let target = year + 2 + rng.below(3);
    let (metric, unit) = rng.pick(&material.metrics).clone();
    let mut second = rng.pick(&material.metrics).clone();
    for _ in 0..8 {
        if second.0 != metric {
            break;
        }
        second = rng.pick(&material.metrics).clone();
    }
    let (metric2, unit2) = second;
    let _ = writeln!(
        text,
        "到{target}年，{metric}达到{}{unit}以上，{metric2}{}{unit2}。",
        rng.range(5, 500),
        rng.range(2, 90)
    );
    let parts = [("三", "主要任务"), ("四", "保障措施")];
    let mut item = 0;
    let mut section = 0;
    let names = |rng: &mut Rng, count: usize, taken: &[String]| -> Vec<String> {
        let mut chosen: Vec<String> = Vec::new();
        while chosen.len() < count.min(material.departments.len() - taken.len()) {
            let name = format!("区{}", rng.pick(&material.departments).short);
            if !chosen.contains(&name) && !taken.contains(&name) {
                chosen.push(name);
            }
        }
        chosen
    };
    for (part_index, (numeral, heading)) in parts.iter().enumerate() {
        let _ = writeln!(text, "{numeral}、{heading}");
        let sections = if part_index == 0 { rng.range(4, 6) } else { 1 };
        for _ in 0..sections {
            section += 1;
            let _ = writeln!(
                text,
                "（{}）{}",
                chinese_number(section),
                rng.pick(&material.headings)
            );
            for _ in 0..rng.range(7, 11) {
                item += 1;
                let body = format!(
                    "{}。{}。",
                    rng.pick(&material.sentences),
                    rng.pick(&material.sentences)
                );
                let lead_count = 1 + rng.below(2);
                let lead = names(rng, lead_count, &[]);
                let other_count = 1 + rng.below(3);
                let others = names(rng, other_count, &lead);
                let annotation = match rng.below(5) {
                    0 => format!(
                        "（牵头单位：{}；配合单位：{}）",
                        lead.join("、"),
                        others.join("、")
                    ),
                    1 => format!(
                        "（牵头单位：{}，配合单位：{}）",
                        lead.join("、"),
                        others.join("、")
                    ),
                    2 => format!(
                        "（责任单位：{}）",
                        lead.iter()
                            .chain(&others)
                            .cloned()
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                    3 => format!("（{}牵头，{}参与）", lead.join("、"), others.join("、")),
                    _ => format!(
                        "(牵头单位:{};配合单位:{})",
                        lead.join("、"),
                        others.join("、")
                    ),
                };
                let space = if rng.below(2) == 0 { " " } else { "" };
                let _ = writeln!(text, "{item}.{space}{body}{annotation}");
            }
        }
    }
    let _ = writeln!(text, "{}{}人民政府办公室", city.name, district.name);
    let _ = writeln!(
        text,
        "{}年{}月{}日",
        year,
        rng.range(1, 12),
        rng.range(1, 28)
    );
    (text, item)
}

/// `一` … `九十九`.
fn chinese_number(number: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match number {
        0 => "零".to_string(),
        1..=9 => DIGITS[number].to_string(),
        10..=19 => format!("十{}", DIGITS[number % 10]),
        _ => format!("{}十{}", DIGITS[(number / 10) % 10], DIGITS[number % 10]),
    }
}
