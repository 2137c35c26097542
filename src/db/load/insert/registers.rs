//! The registers the data folder declares: `jurisdictions`, `agencies` with their
//! `agency_aliases`, and `themes`.

use std::collections::HashSet;

use diesel::prelude::*;

use super::int;
use crate::corpus::Corpus;
use crate::db::schema::{agencies, agency_aliases, jurisdictions, themes};
use crate::db::DbError;

/// Writes `jurisdictions`; returns the number of rows.
pub(super) fn insert_jurisdictions(
    conn: &mut SqliteConnection,
    corpus: &Corpus,
) -> Result<usize, DbError> {
    let rows = corpus
        .jurisdictions
        .iter()
        .enumerate()
        .map(|(position, jurisdiction)| {
            Ok(JurisdictionRow {
                id: &jurisdiction.id,
                name: &jurisdiction.name,
                name_en: &jurisdiction.name_en,
                level: &jurisdiction.level,
                parent_id: jurisdiction.parent.as_deref(),
                aliases: serde_json::to_string(&jurisdiction.aliases)?,
                position: int(position, &jurisdiction.id, "position")?,
                code: jurisdiction.code.as_deref(),
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(insert_rows!(conn, jurisdictions, &rows))
}

/// Writes `agencies`; returns the number of rows.
pub(super) fn insert_agencies(
    conn: &mut SqliteConnection,
    corpus: &Corpus,
) -> Result<usize, DbError> {
    let rows: Vec<AgencyRow> = corpus
        .agencies
        .iter()
        .map(|agency| AgencyRow {
            id: &agency.id,
            jurisdiction_id: agency.jurisdiction.as_deref(),
            name: &agency.name,
            name_en: agency.name_en.as_deref(),
            kind: &agency.kind,
            resolved: agency.resolved,
            note: agency.note.as_deref(),
            origin: agency.origin.as_str(),
        })
        .collect();
    Ok(insert_rows!(conn, agencies, &rows))
}

/// Writes `agency_aliases`, each alias of an agency once; returns the number of rows.
pub(super) fn insert_agency_aliases(
    conn: &mut SqliteConnection,
    corpus: &Corpus,
) -> Result<usize, DbError> {
    let mut rows = Vec::new();
    for agency in &corpus.agencies {
        let mut seen = HashSet::new();
        for alias in &agency.aliases {
            if seen.insert(alias.as_str()) {
                rows.push(AgencyAliasRow {
                    agency_id: &agency.id,
                    alias,
                });
            }
        }
    }
    Ok(insert_rows!(conn, agency_aliases, &rows))
}

/// Writes `themes`; returns the number of rows.
pub(super) fn insert_themes(
    conn: &mut SqliteConnection,
    corpus: &Corpus,
) -> Result<usize, DbError> {
    let rows = corpus
        .themes
        .iter()
        .enumerate()
        .map(|(position, theme)| {
            Ok(ThemeRow {
                id: &theme.id,
                name: &theme.name,
                name_en: &theme.name_en,
                description: &theme.description,
                keywords: serde_json::to_string(&serde_json::json!({
                    "strong": theme.strong,
                    "weak": theme.weak,
                }))?,
                position: int(position, &theme.id, "position")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(insert_rows!(conn, themes, &rows))
}

/// A row of `jurisdictions`.
#[derive(Insertable)]
#[diesel(table_name = jurisdictions, treat_none_as_default_value = false)]
struct JurisdictionRow<'a> {
    id: &'a str,
    name: &'a str,
    name_en: &'a str,
    level: &'a str,
    parent_id: Option<&'a str>,
    aliases: String,
    position: i32,
    code: Option<&'a str>,
}

/// A row of `agencies`.
#[derive(Insertable)]
#[diesel(table_name = agencies, treat_none_as_default_value = false)]
struct AgencyRow<'a> {
    id: &'a str,
    jurisdiction_id: Option<&'a str>,
    name: &'a str,
    name_en: Option<&'a str>,
    kind: &'a str,
    resolved: bool,
    note: Option<&'a str>,
    origin: &'a str,
}

/// A row of `agency_aliases`.
#[derive(Insertable)]
#[diesel(table_name = agency_aliases, treat_none_as_default_value = false)]
struct AgencyAliasRow<'a> {
    agency_id: &'a str,
    alias: &'a str,
}

/// A row of `themes`.
#[derive(Insertable)]
#[diesel(table_name = themes, treat_none_as_default_value = false)]
struct ThemeRow<'a> {
    id: &'a str,
    name: &'a str,
    name_en: &'a str,
    description: &'a str,
    keywords: String,
    position: i32,
}
