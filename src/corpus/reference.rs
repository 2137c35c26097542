//! Reference data from the data folder: the manifest (`documents.toml`), the gazetteer
//! (`agencies.toml`), the jurisdictions (`jurisdictions.toml`) and the themes
//! (`themes.toml`). Each file is validated: unknown fields, duplicate ids, an alias given to
//! two agencies of one jurisdiction, unknown parents — each is an error naming file, line
//! and reason.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::model::{Agency, Jurisdiction, Theme};
use super::CorpusError;

/// One entry of `documents.toml`: what the text of a document does not say.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    /// Document id: the file stem in `documents/`.
    pub id: String,
    /// Title override.
    pub title: Option<String>,
    /// Issuer override.
    pub issuer: Option<String>,
    /// Jurisdiction id override.
    pub jurisdiction: Option<String>,
    /// Document number override (`渝府办发〔2020〕25号`).
    pub doc_number: Option<String>,
    /// Date override, ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Kind override.
    pub kind: Option<String>,
    /// Status override: `final` or `draft`.
    pub status: Option<String>,
    /// Where the document was published, for the record.
    pub source_url: Option<String>,
    /// Editorial note.
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(default)]
    document: Vec<ManifestEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JurisdictionEntry {
    id: String,
    name: String,
    name_en: String,
    level: String,
    parent: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    code: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JurisdictionFile {
    #[serde(default)]
    jurisdiction: Vec<JurisdictionEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AgencyEntry {
    id: String,
    jurisdiction: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    name_en: Option<String>,
    kind: String,
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AgencyFile {
    #[serde(default)]
    agency: Vec<AgencyEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeEntry {
    id: String,
    name: String,
    name_en: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    strong: Vec<String>,
    #[serde(default)]
    weak: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    theme: Vec<ThemeEntry>,
}

/// Agency kinds the gazetteer accepts.
pub const AGENCY_KINDS: &[&str] = &[
    "government",
    "government_office",
    "government_department",
    "party_organ",
    "leading_group",
    "public_institution",
    "company",
    "collective",
    "zone_administration",
    "mass_organization",
    "court",
    "procuratorate",
    "people_congress",
];

/// Jurisdiction levels accepted.
pub const LEVELS: &[&str] = &[
    "national",
    "province",
    "municipality",
    "prefecture",
    "district",
    "county",
];

/// All reference data of a data folder.
#[derive(Debug, Clone, Default)]
pub struct ReferenceData {
    /// Manifest entries by document id.
    pub manifest: HashMap<String, ManifestEntry>,
    /// Jurisdictions in file order.
    pub jurisdictions: Vec<Jurisdiction>,
    /// Gazetteer agencies in file order.
    pub agencies: Vec<Agency>,
    /// Themes in file order.
    pub themes: Vec<Theme>,
    /// The themes compiled for tagging measures.
    pub theme_tagger: super::themes::ThemeTagger,
    /// The standard-agency model (empty without `agency_model.toml`).
    pub model: super::agency_model::AgencyModel,
    /// Issuer-code prefixes of document numbers, longest first: the prefix and the
    /// jurisdiction id it stands for (`None` where several places use it).
    pub doc_number_prefixes: Vec<(String, Option<String>)>,
}

/// Reads a file to a string, naming it in the error.
fn read(path: &Path) -> Result<String, CorpusError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CorpusError::new(path, None, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        CorpusError::new(path, Some(line), "not valid UTF-8")
    })
}

/// Parses TOML, turning a syntax or shape error into file + line + reason.
fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, CorpusError> {
    toml::from_str(text).map_err(|error| {
        let line = error.span().map(|span| line_at(text, span.start));
        CorpusError::new(path, line, error.message().to_string())
    })
}

/// 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
}

/// The line of the `occurrence`-th (0-based) quoted occurrence of `value` in a TOML text.
fn line_of_value(text: &str, value: &str, occurrence: usize) -> Option<usize> {
    let quoted = format!("\"{value}\"");
    text.match_indices(&quoted)
        .nth(occurrence)
        .map(|(offset, _)| line_at(text, offset))
}

/// What `load` reads from the file `path`, or the empty value where the file is not there
/// (an optional file of the data folder).
fn load_optional<T: Default>(
    path: &Path,
    load: impl FnOnce(&Path) -> Result<T, CorpusError>,
) -> Result<T, CorpusError> {
    if path.exists() {
        load(path)
    } else {
        Ok(T::default())
    }
}

/// Loads and validates the reference data of a data folder. Missing optional files
/// (`documents.toml`, `themes.toml`) count as empty; `jurisdictions.toml` and
/// `agencies.toml` are required.
pub fn load_reference_data(data_dir: &Path) -> Result<ReferenceData, CorpusError> {
    let mut jurisdictions = load_jurisdictions(&data_dir.join("jurisdictions.toml"))?;
    let codes = load_optional(&data_dir.join("divisions.tsv"), |path| {
        merge_divisions(path, &mut jurisdictions)
    })?;
    let model = load_optional(&data_dir.join("agency_model.toml"), |path| {
        let text = read(path)?;
        super::agency_model::AgencyModel::parse(&text)
            .map_err(|(line, reason)| CorpusError::new(path, line, reason))
    })?;
    let doc_number_prefixes = load_optional(&data_dir.join("doc_number_prefixes.tsv"), |path| {
        load_prefixes(path, &codes)
    })?;
    let agencies = load_agencies(&data_dir.join("agencies.toml"), &jurisdictions)?;
    let themes = load_optional(&data_dir.join("themes.toml"), load_themes)?;
    let manifest = load_optional(&data_dir.join("documents.toml"), |path| {
        load_manifest(path, &jurisdictions)
    })?;
    Ok(ReferenceData {
        manifest,
        jurisdictions,
        agencies,
        theme_tagger: super::themes::ThemeTagger::new(&themes),
        themes,
        model,
        doc_number_prefixes,
    })
}

/// The reference data of a data folder ([`load_reference_data`]) and the gazetteer over it:
/// what a document parse needs besides the document.
pub fn load_reference_and_gazetteer(
    data_dir: &Path,
) -> Result<(ReferenceData, Gazetteer), CorpusError> {
    let reference = load_reference_data(data_dir)?;
    let gazetteer = Gazetteer::new(&reference.agencies, &reference.jurisdictions);
    Ok((reference, gazetteer))
}

/// Adds every division of `divisions.tsv` (code, id, name, short, level, parent, name_en)
/// to the jurisdictions: a jurisdiction of `jurisdictions.toml` with the same id keeps its
/// fields and gains the code; the others are added with their short names and, for
/// districts and counties, `{city}{name}` as aliases. Returns the jurisdiction id of
/// every code.
fn merge_divisions(
    path: &Path,
    jurisdictions: &mut Vec<Jurisdiction>,
) -> Result<HashMap<String, String>, CorpusError> {
    let text = read(path)?;
    let mut rows: Vec<(usize, [&str; 7])> = Vec::new();
    let mut header_seen = false;
    for (number, line) in text.lines().enumerate() {
        let line_number = number + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let Ok(fields) = <[&str; 7]>::try_from(fields) else {
            return Err(CorpusError::new(
                path,
                Some(line_number),
                "a row has not the 7 tab-separated columns code, id, name, short, level, parent, name_en",
            ));
        };
        if !header_seen {
            header_seen = true;
            if fields[0] == "code" {
                continue;
            }
        }
        if fields[0].len() != 6 || !fields[0].bytes().all(|b| b.is_ascii_digit()) {
            return Err(CorpusError::new(
                path,
                Some(line_number),
                format!("{:?} is not a 6-digit GB/T 2260 code", fields[0]),
            ));
        }
        if !LEVELS.contains(&fields[4]) {
            return Err(CorpusError::new(
                path,
                Some(line_number),
                format!("level {:?} is not one of {}", fields[4], LEVELS.join(", ")),
            ));
        }
        rows.push((line_number, fields));
    }
    let id_of: HashMap<String, String> = rows
        .iter()
        .map(|(_, f)| (f[0].to_string(), f[1].to_string()))
        .collect();
    let name_of: HashMap<&str, (&str, &str, &str)> = rows
        .iter()
        .map(|(_, f)| (f[0], (f[2], f[4], f[6])))
        .collect();
    let mut index_of: HashMap<String, usize> = jurisdictions
        .iter()
        .enumerate()
        .map(|(i, j)| (j.id.clone(), i))
        .collect();
    for (line_number, [code, id, name, short, level, parent, name_en]) in &rows {
        let parent_id = if parent.is_empty() {
            None
        } else {
            Some(id_of.get(*parent).cloned().ok_or_else(|| {
                CorpusError::new(
                    path,
                    Some(*line_number),
                    format!("parent code {parent:?} is not a row of this file"),
                )
            })?)
        };
        if let Some(&index) = index_of.get(*id) {
            // A hand entry keeps its names and gains the code and the short names (the
            // short name is what `{place_short}` patterns and printed names use).
            let hand = &mut jurisdictions[index];
            hand.code = Some(code.to_string());
            for alias in short.split('|').filter(|s| s.chars().count() >= 2) {
                if hand.name != alias && !hand.aliases.iter().any(|a| a == alias) {
                    hand.aliases.push(alias.to_string());
                }
            }
            continue;
        }
        let mut aliases: Vec<String> = short
            .split('|')
            .filter(|s| s.chars().count() >= 2)
            .map(str::to_string)
            .collect();
        // A district or county is named with its city (`上海市杨浦区`, `广州市越秀区`): the
        // bare name (`朝阳区`) is shared across the country. The bare name stays an alias.
        let mut full_name = name.to_string();
        let mut full_name_en = name_en.to_string();
        if let Some((parent_name, parent_level, parent_en)) = name_of.get(parent) {
            if matches!(*level, "district" | "county")
                && matches!(*parent_level, "municipality" | "prefecture")
            {
                full_name = format!("{parent_name}{name}");
                aliases.push(name.to_string());
                let city = parent_en
                    .trim_end_matches(" Municipality")
                    .trim_end_matches(" City");
                full_name_en = format!("{name_en}, {city}");
            }
        }
        index_of.insert(id.to_string(), jurisdictions.len());
        jurisdictions.push(Jurisdiction {
            id: id.to_string(),
            name: full_name,
            name_en: full_name_en,
            level: level.to_string(),
            parent: parent_id,
            aliases,
            code: Some(code.to_string()),
        });
    }
    Ok(id_of)
}

/// Reads `doc_number_prefixes.tsv` (prefix, code, note): the prefixes longest first, each
/// with its jurisdiction id, `None` for `ambiguous`.
fn load_prefixes(
    path: &Path,
    codes: &HashMap<String, String>,
) -> Result<Vec<(String, Option<String>)>, CorpusError> {
    let text = read(path)?;
    let mut prefixes = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("prefix\t") {
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(prefix), Some(code)) = (fields.next(), fields.next()) else {
            return Err(CorpusError::new(
                path,
                Some(number + 1),
                "a row needs a prefix and a code",
            ));
        };
        let jurisdiction = match code {
            "ambiguous" => None,
            code => Some(codes.get(code).cloned().ok_or_else(|| {
                CorpusError::new(
                    path,
                    Some(number + 1),
                    format!("code {code:?} is not in divisions.tsv"),
                )
            })?),
        };
        prefixes.push((prefix.to_string(), jurisdiction));
    }
    prefixes.sort_by(|a, b| {
        b.0.chars()
            .count()
            .cmp(&a.0.chars().count())
            .then(a.0.cmp(&b.0))
    });
    Ok(prefixes)
}

/// Checks that `id` is a slug and not the id of an earlier record of the file (`seen`, to which
/// it is added); `what` names the kind of record.
fn check_new_id(
    path: &Path,
    text: &str,
    seen: &mut HashSet<String>,
    id: &str,
    what: &str,
) -> Result<(), CorpusError> {
    let slug = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    let (occurrence, reason) = if !slug {
        (
            0,
            format!("{what} id {id:?} is not a slug (lowercase ASCII letters, digits and single hyphens)"),
        )
    } else if !seen.insert(id.to_owned()) {
        (1, format!("duplicate {what} id {id:?}"))
    } else {
        return Ok(());
    };
    Err(CorpusError::new(
        path,
        line_of_value(text, id, occurrence),
        reason,
    ))
}

/// The reason to refuse `value` as the `field` of record `(what, id)` when it is not one of
/// `allowed`.
fn not_one_of(
    (what, id): (&str, &str),
    field: &str,
    value: &str,
    allowed: &[&str],
) -> Option<String> {
    (!allowed.contains(&value)).then(|| {
        format!(
            "{what} {id:?}: {field} {value:?} is not one of {}",
            allowed.join(", ")
        )
    })
}

fn load_jurisdictions(path: &Path) -> Result<Vec<Jurisdiction>, CorpusError> {
    let text = read(path)?;
    let file: JurisdictionFile = parse_toml(path, &text)?;
    let mut seen = HashSet::new();
    for entry in &file.jurisdiction {
        check_new_id(path, &text, &mut seen, &entry.id, "jurisdiction")?;
        if let Some(reason) = not_one_of(("jurisdiction", &entry.id), "level", &entry.level, LEVELS)
        {
            return Err(CorpusError::new(
                path,
                line_of_value(&text, &entry.level, 0),
                reason,
            ));
        }
    }
    for entry in &file.jurisdiction {
        if let Some(parent) = &entry.parent {
            if !seen.contains(parent) || parent == &entry.id {
                return Err(CorpusError::new(
                    path,
                    line_of_value(&text, parent, 0),
                    format!(
                        "jurisdiction {:?}: parent {:?} is not a jurisdiction of this file",
                        entry.id, parent
                    ),
                ));
            }
        }
    }
    let jurisdictions: Vec<Jurisdiction> = file
        .jurisdiction
        .into_iter()
        .map(|entry| Jurisdiction {
            id: entry.id,
            name: entry.name,
            name_en: entry.name_en,
            level: entry.level,
            parent: entry.parent,
            aliases: entry.aliases,
            code: entry.code,
        })
        .collect();
    // A parent chain must end: no cycles.
    for jurisdiction in &jurisdictions {
        let mut current = jurisdiction.parent.clone();
        let mut steps = 0;
        while let Some(id) = current {
            steps += 1;
            if steps > jurisdictions.len() {
                return Err(CorpusError::new(
                    path,
                    None,
                    format!("jurisdiction {:?}: parents form a cycle", jurisdiction.id),
                ));
            }
            current = jurisdictions
                .iter()
                .find(|j| j.id == id)
                .and_then(|j| j.parent.clone());
        }
    }
    Ok(jurisdictions)
}

/// Removes whitespace: how names are compared.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            _ => c,
        })
        .collect()
}

fn load_agencies(path: &Path, jurisdictions: &[Jurisdiction]) -> Result<Vec<Agency>, CorpusError> {
    let text = read(path)?;
    let file: AgencyFile = parse_toml(path, &text)?;
    let mut ids = HashSet::new();
    let mut names_by_jurisdiction: HashMap<(String, String), String> = HashMap::new();
    let mut agencies = Vec::with_capacity(file.agency.len());
    let known: HashSet<&str> = jurisdictions.iter().map(|j| j.id.as_str()).collect();
    for entry in file.agency {
        check_new_id(path, &text, &mut ids, &entry.id, "agency")?;
        if !known.contains(entry.jurisdiction.as_str()) {
            return Err(CorpusError::new(
                path,
                line_of_value(&text, &entry.id, 0),
                format!(
                    "agency {:?}: jurisdiction {:?} is not in jurisdictions.toml",
                    entry.id, entry.jurisdiction
                ),
            ));
        }
        if let Some(reason) = not_one_of(("agency", &entry.id), "kind", &entry.kind, AGENCY_KINDS) {
            return Err(CorpusError::new(
                path,
                line_of_value(&text, &entry.id, 0),
                reason,
            ));
        }
        let mut own = HashSet::new();
        for name in std::iter::once(&entry.name).chain(&entry.aliases) {
            let key = name_key(name);
            if !own.insert(key.clone()) {
                continue;
            }
            if let Some(other) =
                names_by_jurisdiction.insert((entry.jurisdiction.clone(), key), entry.id.clone())
            {
                let occurrence = usize::from(text.matches(&format!("\"{name}\"")).count() > 1);
                return Err(CorpusError::new(
                    path,
                    line_of_value(&text, name, occurrence),
                    format!(
                        "the name {name:?} is given to both {other:?} and {:?} in jurisdiction {:?}; a name must identify one agency",
                        entry.id, entry.jurisdiction
                    ),
                ));
            }
        }
        agencies.push(Agency {
            id: entry.id,
            jurisdiction: Some(entry.jurisdiction),
            name: entry.name,
            name_en: entry.name_en,
            aliases: entry.aliases,
            kind: entry.kind,
            resolved: true,
            origin: super::model::AgencyOrigin::Gazetteer,
            note: entry.note,
        });
    }
    Ok(agencies)
}

fn load_themes(path: &Path) -> Result<Vec<Theme>, CorpusError> {
    let text = read(path)?;
    let file: ThemeFile = parse_toml(path, &text)?;
    let mut ids = HashSet::new();
    let mut themes = Vec::new();
    for entry in file.theme {
        check_new_id(path, &text, &mut ids, &entry.id, "theme")?;
        if entry.strong.is_empty() && entry.weak.is_empty() {
            return Err(CorpusError::new(
                path,
                line_of_value(&text, &entry.id, 0),
                format!("theme {:?} has no keywords", entry.id),
            ));
        }
        if let Some(empty) = entry
            .strong
            .iter()
            .chain(&entry.weak)
            .find(|k| k.trim().is_empty())
        {
            return Err(CorpusError::new(
                path,
                line_of_value(&text, empty, 0),
                format!("theme {:?} has an empty keyword", entry.id),
            ));
        }
        themes.push(Theme {
            id: entry.id,
            name: entry.name,
            name_en: entry.name_en,
            description: entry.description,
            strong: entry.strong,
            weak: entry.weak,
        });
    }
    Ok(themes)
}

fn load_manifest(
    path: &Path,
    jurisdictions: &[Jurisdiction],
) -> Result<HashMap<String, ManifestEntry>, CorpusError> {
    let text = read(path)?;
    let file: ManifestFile = parse_toml(path, &text)?;
    let known: HashSet<&str> = jurisdictions.iter().map(|j| j.id.as_str()).collect();
    let mut manifest = HashMap::new();
    for entry in file.document {
        // Found only for an error message: the search runs through the whole file.
        let line = || line_of_value(&text, &entry.id, 0);
        if let Some(jurisdiction) = &entry.jurisdiction {
            if !known.contains(jurisdiction.as_str()) {
                return Err(CorpusError::new(
                    path,
                    line(),
                    format!(
                        "document {:?}: jurisdiction {:?} is not in jurisdictions.toml",
                        entry.id, jurisdiction
                    ),
                ));
            }
        }
        if let Some(status) = &entry.status {
            if status != "final" && status != "draft" {
                return Err(CorpusError::new(
                    path,
                    line(),
                    format!(
                        "document {:?}: status {:?} is not final or draft",
                        entry.id, status
                    ),
                ));
            }
        }
        if let Some(date) = &entry.date {
            if !is_iso_date(date) {
                return Err(CorpusError::new(
                    path,
                    line(),
                    format!("document {:?}: date {:?} is not YYYY-MM-DD", entry.id, date),
                ));
            }
        }
        if let Some(number) = &entry.doc_number {
            if super::metadata::parse_doc_number(number).is_none() {
                return Err(CorpusError::new(
                    path,
                    line(),
                    format!(
                        "document {:?}: {:?} is not a document number such as 渝府办发〔2020〕25号",
                        entry.id, number
                    ),
                ));
            }
        }
        if manifest.insert(entry.id.clone(), entry.clone()).is_some() {
            return Err(CorpusError::new(
                path,
                line_of_value(&text, &entry.id, 1),
                format!("duplicate manifest entry for {:?}", entry.id),
            ));
        }
    }
    Ok(manifest)
}

/// Whether a string is an ISO date `YYYY-MM-DD` with plausible month and day.
pub fn is_iso_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    match parts.as_slice() {
        [year, month, day] if year.len() == 4 && month.len() == 2 && day.len() == 2 => {
            let month: u32 = month.parse().unwrap_or(0);
            let day: u32 = day.parse().unwrap_or(0);
            year.parse::<u32>().is_ok() && (1..=12).contains(&month) && (1..=31).contains(&day)
        }
        _ => false,
    }
}

/// Resolves agency names within a jurisdiction and its ancestors.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    by_name: HashMap<(String, String), usize>,
    by_canonical: HashMap<String, usize>,
    parents: HashMap<String, Option<String>>,
    jurisdictions: Vec<Jurisdiction>,
    index_of: HashMap<String, usize>,
    places: super::jurisdiction::Places,
}

impl Gazetteer {
    /// Indexes the agencies (canonical names and aliases) and the jurisdiction tree.
    pub fn new(agencies: &[Agency], jurisdictions: &[Jurisdiction]) -> Gazetteer {
        let mut gazetteer = Gazetteer {
            parents: jurisdictions
                .iter()
                .map(|j| (j.id.clone(), j.parent.clone()))
                .collect(),
            jurisdictions: jurisdictions.to_vec(),
            index_of: jurisdictions
                .iter()
                .enumerate()
                .map(|(i, j)| (j.id.clone(), i))
                .collect(),
            places: super::jurisdiction::Places::new(jurisdictions),
            ..Gazetteer::default()
        };
        let mut by_id: HashMap<&str, Vec<&Jurisdiction>> = HashMap::new();
        for j in jurisdictions {
            by_id.entry(j.id.as_str()).or_default().push(j);
        }
        for (index, agency) in agencies.iter().enumerate() {
            let Some(jurisdiction) = &agency.jurisdiction else {
                continue;
            };
            // Only full names that carry their place (`重庆市渝北区商务委员会`) are unique
            // nationally; a generic canonical name (`区级有关部门`) is not.
            let places: Vec<&String> = by_id
                .get(jurisdiction.as_str())
                .into_iter()
                .flatten()
                .flat_map(|j| std::iter::once(&j.name).chain(&j.aliases))
                .collect();
            if places
                .iter()
                .any(|place| agency.name.starts_with(place.as_str()))
            {
                gazetteer
                    .by_canonical
                    .entry(name_key(&agency.name))
                    .or_insert(index);
            }
            for name in std::iter::once(&agency.name).chain(&agency.aliases) {
                gazetteer
                    .by_name
                    .insert((jurisdiction.clone(), name_key(name)), index);
            }
        }
        gazetteer
    }

    /// The index of place names of the jurisdictions.
    pub fn places(&self) -> &super::jurisdiction::Places {
        &self.places
    }

    /// The id of the national jurisdiction, if there is one.
    pub fn national(&self) -> Option<&str> {
        self.jurisdictions
            .iter()
            .find(|j| j.level == "national")
            .map(|j| j.id.as_str())
    }

    /// Every jurisdiction, in the order given.
    pub fn jurisdictions(&self) -> &[Jurisdiction] {
        &self.jurisdictions
    }

    /// The jurisdiction and its ancestors, nearest first, as records.
    pub fn chain_of(&self, jurisdiction: Option<&str>) -> Vec<&Jurisdiction> {
        self.chain(jurisdiction)
            .iter()
            .filter_map(|id| self.index_of.get(id).map(|&i| &self.jurisdictions[i]))
            .collect()
    }

    /// The jurisdiction and its ancestors, nearest first.
    pub fn chain(&self, jurisdiction: Option<&str>) -> Vec<String> {
        let mut chain = Vec::new();
        let mut current = jurisdiction.map(str::to_string);
        while let Some(id) = current {
            if chain.contains(&id) {
                break;
            }
            current = self.parents.get(&id).cloned().flatten();
            chain.push(id);
        }
        chain
    }

    /// Index of the agency a printed name stands for in a document of `jurisdiction`:
    /// an alias or canonical name of the jurisdiction, then of its ancestors; then a full
    /// canonical name anywhere (full official names are unique).
    pub fn resolve(&self, jurisdiction: Option<&str>, name: &str) -> Option<usize> {
        let key = name_key(name);
        self.chain(jurisdiction)
            .into_iter()
            .find_map(|id| self.by_name.get(&(id, key.clone())).copied())
            .or_else(|| self.by_canonical.get(&key).copied())
    }
}
