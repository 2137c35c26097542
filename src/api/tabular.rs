//! The CSV rows of each resource: one row per record, nested objects flattened into columns
//! and lists joined with `; `.

use crate::corpus::model::Role;

use super::views::{
    AgencyView, DeadlineView, DocumentView, GoalView, JurisdictionView, MeasureView, ReferenceView,
    Source, ThemeView,
};

/// Separator of multi-valued cells.
pub const LIST_SEPARATOR: &str = "; ";

/// A record that can be written as one CSV row.
pub trait Tabular {
    /// Column names, the CSV header row.
    fn columns() -> &'static [&'static str];
    /// The cells of this record, one per column, in the order of [`Tabular::columns`].
    fn cells(&self) -> Vec<String>;
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn number<N: ToString>(value: &Option<N>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn joined<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    values.into_iter().collect::<Vec<_>>().join(LIST_SEPARATOR)
}

/// The provenance cells shared by measures, goals and references: `source_start`,
/// `source_end`, `line_start`, `line_end`, `source_verbatim`.
fn source_cells(source: &Source) -> [String; 5] {
    [
        source.start.to_string(),
        source.end.to_string(),
        source.line_start.to_string(),
        source.line_end.to_string(),
        source.verbatim.clone(),
    ]
}

/// A deadline in one cell: the phrase as printed, then its date in parentheses where it has
/// one, as `2019年6月底前 (2019-06-30)`.
pub fn deadline_cell(deadline: &DeadlineView) -> String {
    match &deadline.date {
        Some(date) => format!("{} ({date})", deadline.text),
        None => deadline.text.clone(),
    }
}

impl Tabular for MeasureView {
    fn columns() -> &'static [&'static str] {
        &[
            "id",
            "document",
            "jurisdiction",
            "ordinal",
            "number",
            "label",
            "title",
            "text",
            "path",
            "annotation",
            "lead_agencies",
            "cooperating_agencies",
            "responsible_agencies",
            "guide_agencies",
            "participate_agencies",
            "agency_ids",
            "themes",
            "theme_names",
            "deadlines",
            "source_start",
            "source_end",
            "line_start",
            "line_end",
            "source_verbatim",
        ]
    }

    fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            self.id.clone(),
            self.document.clone(),
            text(&self.jurisdiction),
            self.ordinal.to_string(),
            number(&self.number),
            self.label.clone(),
            text(&self.title),
            self.text.clone(),
            joined(self.path.iter().map(String::as_str)),
            text(&self.annotation),
        ];
        for role in Role::NAMES {
            cells.push(joined(
                self.agencies
                    .iter()
                    .filter(|agency| agency.role == role)
                    .map(|agency| agency.name.as_str()),
            ));
        }
        cells.push(
            self.agencies
                .iter()
                .map(|agency| format!("{} ({})", agency.id, agency.role))
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
        );
        cells.push(joined(self.themes.iter().map(|theme| theme.id.as_str())));
        cells.push(joined(self.themes.iter().map(|theme| theme.name.as_str())));
        cells.push(
            self.deadlines
                .iter()
                .map(deadline_cell)
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
        );
        cells.extend(source_cells(&self.source));
        cells
    }
}

impl Tabular for DocumentView {
    fn columns() -> &'static [&'static str] {
        &[
            "id",
            "title",
            "issuer",
            "jurisdiction",
            "doc_number",
            "date",
            "year",
            "kind",
            "status",
            "consultation_start",
            "consultation_end",
            "file_name",
            "encoding",
            "sha256",
            "format",
            "extractor",
            "measures",
            "goals",
            "references",
            "agency_links",
            "unresolved_agencies",
            "warnings",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.title.clone(),
            text(&self.issuer),
            text(&self.jurisdiction),
            text(&self.doc_number),
            text(&self.date),
            number(&self.year),
            self.kind.clone(),
            self.status.clone(),
            text(&self.consultation_start),
            text(&self.consultation_end),
            self.file_name.clone(),
            self.encoding.clone(),
            self.sha256.clone(),
            self.format.clone(),
            self.extractor.clone(),
            self.counts.measures.to_string(),
            self.counts.goals.to_string(),
            self.counts.references.to_string(),
            self.counts.agency_links.to_string(),
            self.counts.unresolved_agencies.to_string(),
            self.counts.warnings.to_string(),
        ]
    }
}

impl Tabular for AgencyView {
    fn columns() -> &'static [&'static str] {
        &[
            "id",
            "name",
            "name_en",
            "aliases",
            "kind",
            "jurisdiction",
            "resolved",
            "origin",
            "note",
            "measure_count",
            "lead_measures",
            "cooperating_measures",
            "responsible_measures",
            "guide_measures",
            "participate_measures",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            text(&self.name_en),
            joined(self.aliases.iter().map(String::as_str)),
            self.kind.clone(),
            text(&self.jurisdiction),
            self.resolved.to_string(),
            self.origin.clone(),
            text(&self.note),
            self.measure_count.to_string(),
            self.measure_counts.lead.to_string(),
            self.measure_counts.cooperating.to_string(),
            self.measure_counts.responsible.to_string(),
            self.measure_counts.guide.to_string(),
            self.measure_counts.participate.to_string(),
        ]
    }
}

impl Tabular for GoalView {
    fn columns() -> &'static [&'static str] {
        &[
            "id",
            "document",
            "ordinal",
            "metric",
            "value",
            "value_text",
            "unit",
            "comparator",
            "comparator_text",
            "year",
            "value_base",
            "base_unit",
            "text",
            "clause",
            "source_start",
            "source_end",
            "line_start",
            "line_end",
            "source_verbatim",
        ]
    }

    fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            self.id.clone(),
            self.document.clone(),
            self.ordinal.to_string(),
            self.metric.clone(),
            self.value.to_string(),
            self.value_text.clone(),
            self.unit.clone(),
            self.comparator.clone(),
            self.comparator_text.clone(),
            number(&self.year),
            number(&self.value_base),
            text(&self.base_unit),
            self.text.clone(),
            self.clause.clone(),
        ];
        cells.extend(source_cells(&self.source));
        cells
    }
}

impl Tabular for ReferenceView {
    fn columns() -> &'static [&'static str] {
        &[
            "id",
            "document",
            "ordinal",
            "raw",
            "title",
            "doc_number",
            "cited_id",
            "cited_title",
            "cited_doc_number",
            "cited_document",
            "context",
            "source_start",
            "source_end",
            "line_start",
            "line_end",
            "source_verbatim",
        ]
    }

    fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            self.id.clone(),
            self.document.clone(),
            self.ordinal.to_string(),
            self.raw.clone(),
            text(&self.title),
            text(&self.doc_number),
            self.cited.id.clone(),
            text(&self.cited.title),
            text(&self.cited.doc_number),
            text(&self.cited.document),
            self.context.clone(),
        ];
        cells.extend(source_cells(&self.source));
        cells
    }
}

impl Tabular for ThemeView {
    fn columns() -> &'static [&'static str] {
        &[
            "id",
            "name",
            "name_en",
            "description",
            "strong_keywords",
            "weak_keywords",
            "measure_count",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.name_en.clone(),
            self.description.clone(),
            joined(self.keywords.strong.iter().map(String::as_str)),
            joined(self.keywords.weak.iter().map(String::as_str)),
            self.measure_count.to_string(),
        ]
    }
}

impl Tabular for JurisdictionView {
    fn columns() -> &'static [&'static str] {
        &[
            "id",
            "name",
            "name_en",
            "level",
            "parent",
            "aliases",
            "code",
            "children",
            "document_count",
            "document_count_with_children",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.name_en.clone(),
            self.level.clone(),
            text(&self.parent),
            joined(self.aliases.iter().map(String::as_str)),
            text(&self.code),
            joined(self.children.iter().map(String::as_str)),
            self.document_count.to_string(),
            self.document_count_with_children.to_string(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: Tabular>(record: &T) {
        assert_eq!(T::columns().len(), record.cells().len());
    }

    #[test]
    fn a_deadline_cell_is_the_phrase_and_its_date() {
        let source = Source {
            document: "d".into(),
            start: 0,
            end: 3,
            line_start: 1,
            line_end: 1,
            verbatim: "abc".into(),
        };
        let dated = DeadlineView {
            text: "2019年6月底前".into(),
            date: Some("2019-06-30".into()),
            source: source.clone(),
        };
        assert_eq!(deadline_cell(&dated), "2019年6月底前 (2019-06-30)");
        let undated = DeadlineView {
            text: "6月底前".into(),
            date: None,
            source,
        };
        assert_eq!(deadline_cell(&undated), "6月底前");
    }

    #[test]
    fn every_row_has_a_cell_per_column() {
        let source = Source {
            document: "d".into(),
            start: 0,
            end: 3,
            line_start: 1,
            line_end: 1,
            verbatim: "abc".into(),
        };
        check(&MeasureView {
            id: "d--p1".into(),
            document: "d".into(),
            jurisdiction: None,
            ordinal: 1,
            number: Some(1),
            label: "1.".into(),
            title: None,
            text: "t".into(),
            path: vec!["a".into(), "b".into()],
            annotation: None,
            agencies: Vec::new(),
            themes: Vec::new(),
            deadlines: vec![DeadlineView {
                text: "2019年6月底前".into(),
                date: Some("2019-06-30".into()),
                source: source.clone(),
            }],
            source: source.clone(),
        });
        check(&ThemeView {
            id: "t".into(),
            name: "n".into(),
            name_en: "n".into(),
            description: String::new(),
            keywords: crate::api::views::KeywordsView {
                strong: vec!["a".into(), "b".into()],
                weak: Vec::new(),
            },
            measure_count: 0,
        });
        check(&JurisdictionView {
            id: "j".into(),
            name: "n".into(),
            name_en: "n".into(),
            level: "district".into(),
            parent: None,
            aliases: Vec::new(),
            code: Some("500112".into()),
            children: Vec::new(),
            document_count: 0,
            document_count_with_children: 0,
        });
    }
}
