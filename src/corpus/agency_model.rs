//! The standard-agency model (`data/agency_model.toml`): the bodies a government of each
//! level normally has, the national bodies and the collective phrases, instantiated for a
//! document's jurisdiction so that `省商务厅` in a Jiangxi document is 江西省商务厅.
//!
//! The file's header documents the matching rules; this module implements them:
//! a printed name is the level character or the place's name followed by one of an
//! entry's level names or short forms, or one of its printed patterns; the result is the
//! place's full name followed by the entry's name for the place's level class (the ending
//! rule picks another level's name when the short form's ending disagrees), or the entry's
//! full-name pattern.

use std::collections::HashMap;

use serde::Deserialize;

use super::model::Jurisdiction;

/// The level class of a jurisdiction, which decides the standard names of its bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LevelClass {
    /// 省 and 自治区.
    Province,
    /// 北京 天津 上海 重庆.
    Municipality,
    /// 地级市, 自治州, 地区, 盟.
    Prefecture,
    /// 市辖区, 县, 县级市, 旗.
    County,
}

impl LevelClass {
    /// The class of a jurisdiction level (`province`, `municipality`, `prefecture`,
    /// `district`, `county`); `None` for the nation.
    pub fn of(level: &str) -> Option<LevelClass> {
        match level {
            "province" => Some(LevelClass::Province),
            "municipality" => Some(LevelClass::Municipality),
            "prefecture" => Some(LevelClass::Prefecture),
            "district" | "county" => Some(LevelClass::County),
            _ => None,
        }
    }

    fn index(self) -> usize {
        match self {
            LevelClass::Province => 0,
            LevelClass::Municipality => 1,
            LevelClass::Prefecture => 2,
            LevelClass::County => 3,
        }
    }

    /// The other classes, nearest first (for the ending rule).
    fn nearest(self) -> [LevelClass; 3] {
        use LevelClass::*;
        match self {
            Province => [Municipality, Prefecture, County],
            Municipality => [Province, Prefecture, County],
            Prefecture => [Municipality, County, Province],
            County => [Prefecture, Municipality, Province],
        }
    }
}

/// The level characters documents print for a jurisdiction instead of its name
/// (`省`, `市`, `区`, `县`, `州`, `盟`, `旗`).
pub fn level_characters(jurisdiction: &Jurisdiction) -> Vec<&'static str> {
    let name = jurisdiction.name.as_str();
    match jurisdiction.level.as_str() {
        "province" if name.ends_with("自治区") => vec!["自治区"],
        "province" => vec!["省"],
        "municipality" => vec!["市"],
        "prefecture" if name.ends_with('州') => vec!["州", "市"],
        "prefecture" if name.ends_with('盟') => vec!["盟"],
        "prefecture" if name.ends_with("地区") => vec!["地区"],
        "prefecture" => vec!["市"],
        "district" => vec!["区"],
        "county" if name.ends_with('市') => vec!["市"],
        "county" if name.ends_with('旗') => vec!["旗"],
        "county" => vec!["县"],
        _ => Vec::new(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentEntry {
    key: String,
    kind: String,
    province: Option<String>,
    municipality: Option<String>,
    prefecture: Option<String>,
    county: Option<String>,
    all: Option<String>,
    #[serde(default)]
    short: Vec<String>,
    #[serde(default)]
    printed: Vec<String>,
    full: Option<String>,
    full_province: Option<String>,
    full_municipality: Option<String>,
    full_prefecture: Option<String>,
    full_county: Option<String>,
    name_en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CollectiveEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    name_en: String,
    /// Where the phrase is used; documentation for editors, not read by the resolver.
    #[serde(rename = "scope")]
    _scope: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    #[serde(default)]
    department: Vec<DepartmentEntry>,
    #[serde(default)]
    national: Vec<NationalBody>,
    #[serde(default)]
    collective: Vec<CollectiveEntry>,
}

/// One kind of body of local governments.
#[derive(Debug, Clone)]
pub struct Department {
    /// Slug, part of derived agency ids.
    pub key: String,
    /// Agency kind.
    pub kind: String,
    /// Standard name without the place, per level class (province, municipality,
    /// prefecture, county).
    names: [Option<String>; 4],
    /// Full-name patterns per level class, with `{place}` / `{place_short}`.
    full: [Option<String>; 4],
    /// Printed short forms after the level character or the place.
    short: Vec<String>,
    /// Printed patterns with `{L}`.
    printed: Vec<String>,
    /// English name without the place.
    pub name_en: String,
}

/// A national body, as `agency_model.toml` states it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NationalBody {
    /// Slug.
    pub key: String,
    /// Full official name.
    pub name: String,
    /// Printed forms.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// English name.
    pub name_en: String,
    /// Agency kind.
    pub kind: String,
}

/// A collective phrase (`各有关部门`).
#[derive(Debug, Clone)]
pub struct Collective {
    /// The phrase.
    pub name: String,
    /// Variants.
    pub aliases: Vec<String>,
    /// English.
    pub name_en: String,
}

/// What a printed name stands for under the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// Id of the jurisdiction the body belongs to.
    pub jurisdiction: String,
    /// Key of the body kind (department key, national key, or the collective's slug).
    pub key: String,
    /// Standard full name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Agency kind.
    pub kind: String,
}

/// The loaded model, indexed.
#[derive(Debug, Clone, Default)]
pub struct AgencyModel {
    departments: Vec<Department>,
    national_by_name: HashMap<String, usize>,
    national: Vec<NationalBody>,
    collective_by_name: HashMap<String, usize>,
    collectives: Vec<Collective>,
}

/// Appends `entry` to `entries` and indexes its printed forms, the name and the aliases
/// `forms` gives; a form already indexed keeps the entry that named it first.
fn add_named<T>(
    entries: &mut Vec<T>,
    by_name: &mut HashMap<String, usize>,
    entry: T,
    forms: impl Fn(&T) -> (&str, &[String]),
) {
    let (name, aliases) = forms(&entry);
    for form in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
        by_name.entry(form.to_owned()).or_insert(entries.len());
    }
    entries.push(entry);
}

impl AgencyModel {
    /// Parses `agency_model.toml`; the error is a reason with an optional line.
    pub fn parse(text: &str) -> Result<AgencyModel, (Option<usize>, String)> {
        let file: ModelFile = toml::from_str(text).map_err(|error| {
            let line = error
                .span()
                .map(|span| 1 + text[..span.start.min(text.len())].matches('\n').count());
            (line, error.message().to_string())
        })?;
        let mut model = AgencyModel::default();
        for entry in file.department {
            let all = entry.all.clone();
            let names = [
                entry.province.or_else(|| all.clone()),
                entry.municipality.or_else(|| all.clone()),
                entry.prefecture.or_else(|| all.clone()),
                entry.county.or_else(|| all.clone()),
            ];
            let full = [
                entry.full_province.or_else(|| entry.full.clone()),
                entry.full_municipality.or_else(|| entry.full.clone()),
                entry.full_prefecture.or_else(|| entry.full.clone()),
                entry.full_county.or_else(|| entry.full.clone()),
            ];
            if names.iter().all(Option::is_none) && full.iter().all(Option::is_none) {
                return Err((
                    None,
                    format!("department {:?} has no name for any level", entry.key),
                ));
            }
            model.departments.push(Department {
                key: entry.key,
                kind: entry.kind,
                names,
                full,
                short: entry.short,
                printed: entry.printed,
                name_en: entry.name_en,
            });
        }
        for body in file.national {
            add_named(
                &mut model.national,
                &mut model.national_by_name,
                body,
                |b| (&b.name, &b.aliases),
            );
        }
        for entry in file.collective {
            let collective = Collective {
                name: entry.name,
                aliases: entry.aliases,
                name_en: entry.name_en,
            };
            add_named(
                &mut model.collectives,
                &mut model.collective_by_name,
                collective,
                |c| (&c.name, &c.aliases),
            );
        }
        Ok(model)
    }

    /// Whether the model holds anything.
    pub fn is_empty(&self) -> bool {
        self.departments.is_empty() && self.national.is_empty() && self.collectives.is_empty()
    }

    /// The national body a printed name stands for, in any document.
    pub fn national(&self, name: &str) -> Option<&NationalBody> {
        self.national_by_name.get(name).map(|&i| &self.national[i])
    }

    /// The collective phrase a printed name is, if any.
    pub fn collective(&self, name: &str) -> Option<&Collective> {
        self.collective_by_name
            .get(name)
            .map(|&i| &self.collectives[i])
    }

    /// The body of a local government a printed name stands for in a document of the
    /// jurisdiction chain `chain` (the document's jurisdiction first, then its
    /// ancestors): the nearest jurisdiction whose level character or name opens the name.
    pub fn department(&self, chain: &[&Jurisdiction], name: &str) -> Option<Instance> {
        for (position, jurisdiction) in chain.iter().enumerate() {
            let Some(class) = LevelClass::of(&jurisdiction.level) else {
                continue;
            };
            let place = full_place_name(jurisdiction, chain.get(position + 1).copied());
            let mut prefixes: Vec<&str> = level_characters(jurisdiction);
            prefixes.push(jurisdiction.name.as_str());
            prefixes.extend(jurisdiction.aliases.iter().map(String::as_str));
            for department in &self.departments {
                if let Some(full) =
                    match_department(department, jurisdiction, &place, class, &prefixes, name)
                {
                    return Some(Instance {
                        jurisdiction: jurisdiction.id.clone(),
                        key: department.key.clone(),
                        name: full,
                        name_en: format!("{} {}", jurisdiction.name_en, department.name_en),
                        kind: department.kind.clone(),
                    });
                }
            }
        }
        None
    }
}

/// The standard full name when `name` is a printed form of `department` for the place.
fn match_department(
    department: &Department,
    jurisdiction: &Jurisdiction,
    place: &str,
    class: LevelClass,
    prefixes: &[&str],
    name: &str,
) -> Option<String> {
    let place_short = jurisdiction
        .aliases
        .iter()
        .find(|a| !a.is_empty() && !a.contains(&jurisdiction.name))
        .cloned()
        .unwrap_or_else(|| jurisdiction.name.clone());
    let instantiate = |pattern: &str| {
        pattern
            .replace("{place}", place)
            .replace("{place_short}", &place_short)
    };
    let has_full = department.full.iter().any(Option::is_some);
    // Printed patterns (`{L}委组织部`, `团{L}委`) and full patterns.
    let printed_match = department.printed.iter().any(|pattern| {
        prefixes
            .iter()
            .any(|prefix| instantiate(&pattern.replace("{L}", prefix)) == name)
    }) || department
        .full
        .iter()
        .flatten()
        .any(|pattern| instantiate(pattern) == name);
    if has_full {
        let pattern = department.full[class.index()].as_ref()?;
        let short_match = prefixes.iter().any(|prefix| {
            name.strip_prefix(prefix).is_some_and(|rest| {
                department.short.iter().any(|s| s == rest)
                    || department.names.iter().flatten().any(|n| n == rest)
            })
        });
        return (printed_match || short_match).then(|| instantiate(pattern));
    }
    if printed_match {
        return department.names[class.index()]
            .as_ref()
            .map(|n| format!("{place}{n}"));
    }
    for prefix in prefixes {
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        // A level name printed in full is kept as printed.
        if department.names.iter().flatten().any(|n| n == rest) {
            return Some(format!("{place}{rest}"));
        }
        if department.short.iter().any(|s| s == rest) {
            let own = department.names[class.index()].as_ref()?;
            if ending(own) == ending(rest) || ending(rest).is_none() {
                return Some(format!("{place}{own}"));
            }
            let other = class
                .nearest()
                .into_iter()
                .filter_map(|c| department.names[c.index()].as_ref())
                .find(|n| ending(n) == ending(rest));
            return Some(format!("{place}{}", other.unwrap_or(own)));
        }
    }
    None
}

/// The name of a place as the full names of its bodies carry it: a district or county
/// with its city before it (`上海市杨浦区`, `广州市越秀区`), any other place alone.
fn full_place_name(jurisdiction: &Jurisdiction, parent: Option<&Jurisdiction>) -> String {
    match parent {
        Some(parent)
            if LevelClass::of(&jurisdiction.level) == Some(LevelClass::County)
                && matches!(parent.level.as_str(), "municipality" | "prefecture")
                && !jurisdiction.name.starts_with(&parent.name) =>
        {
            format!("{}{}", parent.name, jurisdiction.name)
        }
        _ => jurisdiction.name.clone(),
    }
}

/// The ending class of a body's name: 委 (委 / 委员会), 局, 厅, 办公厅, 办公室, 院.
fn ending(name: &str) -> Option<&'static str> {
    if name.ends_with("委员会") || name.ends_with('委') {
        Some("委")
    } else if name.ends_with("办公厅") {
        Some("办公厅")
    } else if name.ends_with("办公室") {
        Some("办公室")
    } else if name.ends_with('局') {
        Some("局")
    } else if name.ends_with('厅') {
        Some("厅")
    } else if name.ends_with('院') {
        Some("院")
    } else {
        None
    }
}
