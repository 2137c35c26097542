//! The CSV rows of each resource: one row per record, nested objects flattened into columns
//! and lists joined with `; `.

use crate::corpus::model::Role;

use super::views::{
    AgencyView, DeadlineView, DocumentView, GoalView, JurisdictionView, MeasureView, ReferenceView,
    Source, ThemeView,
};

/// Separator of multi-valued cells.
pub const LIST_SEPARATOR: &str = "; ";

/// One CSV column: its header and how a record's cell is written, declared together so
/// that a header and its cells cannot fall out of step.
pub struct Column<T> {
    /// The header.
    pub header: &'static str,
    /// The cell of a record.
    pub cell: Box<dyn Fn(&T) -> String>,
}

/// Columns under construction, in order.
struct Columns<T>(Vec<Column<T>>);

impl<T> Columns<T> {
    fn new() -> Columns<T> {
        Columns(Vec::new())
    }

    /// Adds the column `header`, whose cells `cell` writes.
    fn add(mut self, header: &'static str, cell: impl Fn(&T) -> String + 'static) -> Columns<T> {
        self.0.push(Column {
            header,
            cell: Box::new(cell),
        });
        self
    }

    fn columns(self) -> Vec<Column<T>> {
        self.0
    }
}

/// A record that can be written as one CSV row.
pub trait Tabular: Sized {
    /// The columns, in order.
    fn columns() -> Vec<Column<Self>>;

    /// The header row.
    fn header() -> Vec<&'static str> {
        Self::columns().iter().map(|column| column.header).collect()
    }

    /// The cells of this record, one per column.
    fn cells(&self) -> Vec<String> {
        Self::columns()
            .iter()
            .map(|column| (column.cell)(self))
            .collect()
    }
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

/// The provenance columns shared by measures, goals and references: `source_start`,
/// `source_end`, `line_start`, `line_end`, `source_verbatim`, of the source `source` gives.
fn source_columns<T: 'static>(columns: Columns<T>, source: fn(&T) -> &Source) -> Columns<T> {
    columns
        .add("source_start", move |r| source(r).start.to_string())
        .add("source_end", move |r| source(r).end.to_string())
        .add("line_start", move |r| source(r).line_start.to_string())
        .add("line_end", move |r| source(r).line_end.to_string())
        .add("source_verbatim", move |r| source(r).verbatim.clone())
}

/// A deadline in one cell: the phrase as printed, then its date in parentheses where it has
/// one, as `2019年6月底前 (2019-06-30)`.
pub fn deadline_cell(deadline: &DeadlineView) -> String {
    match &deadline.date {
        Some(date) => format!("{} ({date})", deadline.text),
        None => deadline.text.clone(),
    }
}

/// The agencies named on a measure in `role`.
fn agencies_in(measure: &MeasureView, role: &str) -> String {
    joined(
        measure
            .agencies
            .iter()
            .filter(|agency| agency.role == role)
            .map(|agency| agency.name.as_str()),
    )
}

impl Tabular for MeasureView {
    fn columns() -> Vec<Column<Self>> {
        let mut columns = Columns::<Self>::new()
            .add("id", |m: &Self| m.id.clone())
            .add("document", |m| m.document.clone())
            .add("jurisdiction", |m| text(&m.jurisdiction))
            .add("ordinal", |m| m.ordinal.to_string())
            .add("number", |m| number(&m.number))
            .add("label", |m| m.label.clone())
            .add("title", |m| text(&m.title))
            .add("text", |m| m.text.clone())
            .add("path", |m| joined(m.path.iter().map(String::as_str)))
            .add("annotation", |m| text(&m.annotation));
        for (role, header) in Role::NAMES.into_iter().zip(ROLE_COLUMNS) {
            columns = columns.add(header, move |m| agencies_in(m, role));
        }
        let columns = columns
            .add("agency_ids", |m| {
                m.agencies
                    .iter()
                    .map(|agency| format!("{} ({})", agency.id, agency.role))
                    .collect::<Vec<_>>()
                    .join(LIST_SEPARATOR)
            })
            .add("themes", |m| joined(m.themes.iter().map(|t| t.id.as_str())))
            .add("theme_names", |m| {
                joined(m.themes.iter().map(|t| t.name.as_str()))
            })
            .add("deadlines", |m| {
                m.deadlines
                    .iter()
                    .map(deadline_cell)
                    .collect::<Vec<_>>()
                    .join(LIST_SEPARATOR)
            });
        source_columns(columns, |m| &m.source).columns()
    }
}

/// The column of the agencies in each role, in the order of [`Role::NAMES`].
const ROLE_COLUMNS: [&str; 5] = [
    "lead_agencies",
    "cooperating_agencies",
    "responsible_agencies",
    "guide_agencies",
    "participate_agencies",
];

impl Tabular for DocumentView {
    fn columns() -> Vec<Column<Self>> {
        Columns::<Self>::new()
            .add("id", |d| d.id.clone())
            .add("title", |d| d.title.clone())
            .add("issuer", |d| text(&d.issuer))
            .add("jurisdiction", |d| text(&d.jurisdiction))
            .add("doc_number", |d| text(&d.doc_number))
            .add("date", |d| text(&d.date))
            .add("year", |d| number(&d.year))
            .add("kind", |d| d.kind.clone())
            .add("status", |d| d.status.clone())
            .add("consultation_start", |d| text(&d.consultation_start))
            .add("consultation_end", |d| text(&d.consultation_end))
            .add("file_name", |d| d.file_name.clone())
            .add("encoding", |d| d.encoding.clone())
            .add("sha256", |d| d.sha256.clone())
            .add("format", |d| d.format.clone())
            .add("extractor", |d| d.extractor.clone())
            .add("measures", |d| d.counts.measures.to_string())
            .add("goals", |d| d.counts.goals.to_string())
            .add("references", |d| d.counts.references.to_string())
            .add("agency_links", |d| d.counts.agency_links.to_string())
            .add("unresolved_agencies", |d| {
                d.counts.unresolved_agencies.to_string()
            })
            .add("warnings", |d| d.counts.warnings.to_string())
            .columns()
    }
}

impl Tabular for AgencyView {
    fn columns() -> Vec<Column<Self>> {
        Columns::<Self>::new()
            .add("id", |a| a.id.clone())
            .add("name", |a| a.name.clone())
            .add("name_en", |a| text(&a.name_en))
            .add("aliases", |a| joined(a.aliases.iter().map(String::as_str)))
            .add("kind", |a| a.kind.clone())
            .add("jurisdiction", |a| text(&a.jurisdiction))
            .add("resolved", |a| a.resolved.to_string())
            .add("origin", |a| a.origin.clone())
            .add("note", |a| text(&a.note))
            .add("measure_count", |a| a.measure_count.to_string())
            .add("lead_measures", |a| a.measure_counts.lead.to_string())
            .add("cooperating_measures", |a| {
                a.measure_counts.cooperating.to_string()
            })
            .add("responsible_measures", |a| {
                a.measure_counts.responsible.to_string()
            })
            .add("guide_measures", |a| a.measure_counts.guide.to_string())
            .add("participate_measures", |a| {
                a.measure_counts.participate.to_string()
            })
            .columns()
    }
}

impl Tabular for GoalView {
    fn columns() -> Vec<Column<Self>> {
        let columns = Columns::<Self>::new()
            .add("id", |g| g.id.clone())
            .add("document", |g| g.document.clone())
            .add("ordinal", |g| g.ordinal.to_string())
            .add("metric", |g| g.metric.clone())
            .add("value", |g| g.value.to_string())
            .add("value_text", |g| g.value_text.clone())
            .add("unit", |g| g.unit.clone())
            .add("comparator", |g| g.comparator.clone())
            .add("comparator_text", |g| g.comparator_text.clone())
            .add("year", |g| number(&g.year))
            .add("value_base", |g| number(&g.value_base))
            .add("base_unit", |g| text(&g.base_unit))
            .add("text", |g| g.text.clone())
            .add("clause", |g| g.clause.clone());
        source_columns(columns, |g| &g.source).columns()
    }
}

impl Tabular for ReferenceView {
    fn columns() -> Vec<Column<Self>> {
        let columns = Columns::<Self>::new()
            .add("id", |r| r.id.clone())
            .add("document", |r| r.document.clone())
            .add("ordinal", |r| r.ordinal.to_string())
            .add("raw", |r| r.raw.clone())
            .add("title", |r| text(&r.title))
            .add("doc_number", |r| text(&r.doc_number))
            .add("cited_id", |r| r.cited.id.clone())
            .add("cited_title", |r| text(&r.cited.title))
            .add("cited_doc_number", |r| text(&r.cited.doc_number))
            .add("cited_document", |r| text(&r.cited.document))
            .add("context", |r| r.context.clone());
        source_columns(columns, |r| &r.source).columns()
    }
}

impl Tabular for ThemeView {
    fn columns() -> Vec<Column<Self>> {
        Columns::<Self>::new()
            .add("id", |t| t.id.clone())
            .add("name", |t| t.name.clone())
            .add("name_en", |t| t.name_en.clone())
            .add("description", |t| t.description.clone())
            .add("strong_keywords", |t| {
                joined(t.keywords.strong.iter().map(String::as_str))
            })
            .add("weak_keywords", |t| {
                joined(t.keywords.weak.iter().map(String::as_str))
            })
            .add("measure_count", |t| t.measure_count.to_string())
            .columns()
    }
}

impl Tabular for JurisdictionView {
    fn columns() -> Vec<Column<Self>> {
        Columns::<Self>::new()
            .add("id", |j| j.id.clone())
            .add("name", |j| j.name.clone())
            .add("name_en", |j| j.name_en.clone())
            .add("level", |j| j.level.clone())
            .add("parent", |j| text(&j.parent))
            .add("aliases", |j| joined(j.aliases.iter().map(String::as_str)))
            .add("code", |j| text(&j.code))
            .add("children", |j| {
                joined(j.children.iter().map(String::as_str))
            })
            .add("document_count", |j| j.document_count.to_string())
            .add("document_count_with_children", |j| {
                j.document_count_with_children.to_string()
            })
            .columns()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: Tabular>(record: &T) {
        assert_eq!(T::header().len(), record.cells().len());
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
    fn the_agencies_of_each_role_stand_in_the_column_of_the_role() {
        let source = Source {
            document: "d".into(),
            start: 0,
            end: 3,
            line_start: 1,
            line_end: 1,
            verbatim: "abc".into(),
        };
        let agency = |id: &str, role: &str| crate::api::views::MeasureAgencyView {
            id: id.into(),
            name: format!("{id}-name"),
            name_en: None,
            role: role.into(),
            raw_name: id.into(),
            source: source.clone(),
        };
        let measure = MeasureView {
            id: "d--p1".into(),
            document: "d".into(),
            jurisdiction: None,
            ordinal: 1,
            number: None,
            label: "1.".into(),
            title: None,
            text: "t".into(),
            path: Vec::new(),
            annotation: None,
            agencies: vec![
                agency("a", "lead"),
                agency("b", "guide"),
                agency("c", "lead"),
            ],
            themes: Vec::new(),
            deadlines: Vec::new(),
            source: source.clone(),
        };
        let header = MeasureView::header();
        let cells = measure.cells();
        let cell = |name: &str| {
            let index = header.iter().position(|h| *h == name).expect("a column");
            cells[index].clone()
        };
        assert_eq!(cell("lead_agencies"), "a-name; c-name");
        assert_eq!(cell("guide_agencies"), "b-name");
        assert_eq!(cell("cooperating_agencies"), "");
        assert_eq!(cell("agency_ids"), "a (lead); b (guide); c (lead)");
        assert_eq!(cell("source_verbatim"), "abc");
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
