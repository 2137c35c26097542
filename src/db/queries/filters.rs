//! The filters of the lists, each declared once.
//!
//! A [`FilterField`] says everything about one filter: its name, the values it takes, where
//! those values must exist, the SQL condition it adds and what it means. The API reads its
//! query parameter, its `400` and its OpenAPI parameter from the same declaration; this
//! module turns the values of a request ([`Filters`]) into the checks and the `WHERE`
//! conditions of a list.

use super::{and_in, and_in_ints, and_in_jurisdictions, Check, Sql};
use crate::db::search::CompiledQuery;

/// The values a filter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// Any number of non-empty texts; a record matches any of them.
    Texts,
    /// Any number of values from a fixed vocabulary.
    OneOf(&'static [&'static str]),
    /// Any number of six-digit GB/T 2260 division codes.
    DivisionCodes,
    /// Any number of four-digit years.
    Years,
    /// One four-digit year.
    Year,
    /// One calendar date written `YYYY-MM-DD`.
    Date,
    /// `true` or `false`, once.
    Boolean,
    /// One query of the search language (see [`crate::db::search`]).
    Query,
}

/// Where the values of a filter must exist; values that name nothing are refused before the
/// list is read.
#[derive(Debug, Clone, Copy)]
pub struct Exists {
    /// Table holding the values.
    pub table: &'static str,
    /// Column holding the values.
    pub column: &'static str,
    /// What an error says would have been accepted.
    pub listed: Listed,
}

/// What the error for a value that names nothing says would have been accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// Every value of the column, listed in full (a small vocabulary).
    InFull,
    /// The ids of a resource (plural name), too many to list.
    IdsOf(&'static str),
    /// A field of a resource's records, too many to list.
    FieldOf {
        /// The field (`code`).
        field: &'static str,
        /// The resource (plural name).
        resource: &'static str,
    },
}

/// A subquery that several filters share, so that they apply to the same related row:
/// `agency=a&role=lead` means "measures that agency a leads", not "measures with agency a
/// and some lead".
#[derive(Debug)]
pub struct Subquery {
    /// SQL opening the subquery, starting with ` AND `.
    pub open: &'static str,
    /// SQL closing it.
    pub close: &'static str,
}

/// How a filter restricts the records of a list.
#[derive(Debug, Clone, Copy)]
pub enum Condition {
    /// The column holds one of the values.
    In(&'static str),
    /// The column holds one of the jurisdictions or a jurisdiction below one of them.
    InJurisdictions(&'static str),
    /// The column is at least the value.
    AtLeast(&'static str),
    /// The column is at most the value.
    AtMost(&'static str),
    /// The first condition holds for `true`, the second for `false`.
    Holds(&'static str, &'static str),
    /// The record matches the search query (over the list's kind of record).
    Search,
    /// The condition inside a subquery shared with the other filters naming it.
    Within(&'static Subquery, &'static Condition),
}

/// An example value of a filter, for the API documentation.
#[derive(Debug, Clone, Copy)]
pub enum Example {
    /// No example.
    None,
    /// Texts (`["tianjin"]`).
    Texts(&'static [&'static str]),
    /// Numbers (`[2020]`).
    Numbers(&'static [i64]),
    /// One number.
    Number(i64),
    /// One text.
    Text(&'static str),
    /// A boolean.
    Boolean(bool),
}

/// One filter of a list.
#[derive(Debug)]
pub struct FilterField {
    /// Its name, the query parameter's too.
    pub name: &'static str,
    /// The values it takes.
    pub takes: Takes,
    /// Where its values must exist, if anywhere.
    pub exists: Option<Exists>,
    /// The condition it adds.
    pub condition: Condition,
    /// What it keeps, for the API documentation.
    pub description: &'static str,
    /// An example value.
    pub example: Example,
}

impl FilterField {
    /// A filter taking `takes` and adding `condition`, documented by `description`.
    pub const fn new(
        name: &'static str,
        takes: Takes,
        condition: Condition,
        description: &'static str,
    ) -> FilterField {
        FilterField {
            name,
            takes,
            exists: None,
            condition,
            description,
            example: Example::None,
        }
    }

    /// `jurisdiction`: records whose `column` holds one of the jurisdictions or one below
    /// them (`chongqing` includes Yubei District), the values checked against the
    /// jurisdictions' ids. The filter every resource placed in a jurisdiction takes.
    pub const fn jurisdiction(
        column: &'static str,
        description: &'static str,
        example: &'static [&'static str],
    ) -> FilterField {
        FilterField::new(
            "jurisdiction",
            Takes::Texts,
            Condition::InJurisdictions(column),
            description,
        )
        .ids_of("jurisdictions", "id", "jurisdictions")
        .example(Example::Texts(example))
    }

    /// `document`: records of these documents (`column` holds the document id), the values
    /// checked against the documents' ids.
    pub const fn document(
        column: &'static str,
        description: &'static str,
        example: &'static [&'static str],
    ) -> FilterField {
        FilterField::new("document", Takes::Texts, Condition::In(column), description)
            .ids_of("documents", "id", "documents")
            .example(Example::Texts(example))
    }

    /// `year`: records whose `column` holds one of these years.
    pub const fn years(
        column: &'static str,
        description: &'static str,
        example: &'static [i64],
    ) -> FilterField {
        FilterField::new("year", Takes::Years, Condition::In(column), description)
            .example(Example::Numbers(example))
    }

    /// `q`: records matching a query of the search language over the list's kind of
    /// record; `description` says what it searches.
    pub const fn search(description: &'static str, example: &'static str) -> FilterField {
        FilterField::new("q", Takes::Query, Condition::Search, description)
            .example(Example::Text(example))
    }

    /// The same filter with values that must be ids of `resource` in `table.column`.
    pub const fn ids_of(
        self,
        table: &'static str,
        column: &'static str,
        resource: &'static str,
    ) -> FilterField {
        self.exists_in(table, column, Listed::IdsOf(resource))
    }

    /// The same filter with values that must occur in `table.column`, a field of
    /// `resource` too many to list.
    pub const fn field_of(
        self,
        table: &'static str,
        column: &'static str,
        field: &'static str,
        resource: &'static str,
    ) -> FilterField {
        self.exists_in(table, column, Listed::FieldOf { field, resource })
    }

    /// The same filter with values that must occur in `table.column`, a vocabulary small
    /// enough to list in an error.
    pub const fn vocabulary(self, table: &'static str, column: &'static str) -> FilterField {
        self.exists_in(table, column, Listed::InFull)
    }

    const fn exists_in(
        self,
        table: &'static str,
        column: &'static str,
        listed: Listed,
    ) -> FilterField {
        FilterField {
            exists: Some(Exists {
                table,
                column,
                listed,
            }),
            ..self
        }
    }

    /// The same filter with an example value.
    pub const fn example(self, example: Example) -> FilterField {
        FilterField { example, ..self }
    }

    /// Whether the filter takes several values (a repeated parameter).
    pub fn repeatable(&self) -> bool {
        matches!(
            self.takes,
            Takes::Texts | Takes::OneOf(_) | Takes::DivisionCodes | Takes::Years
        )
    }
}

/// The value a request gives a filter.
#[derive(Debug, Clone)]
pub enum FilterValue {
    /// Texts: ids, vocabulary values, dates or codes.
    Texts(Vec<String>),
    /// Years.
    Years(Vec<i32>),
    /// One year.
    Year(i32),
    /// One text (a date).
    Text(String),
    /// A boolean.
    Boolean(bool),
    /// A compiled search query.
    Query(CompiledQuery),
}

/// The filter values of one list request, by filter name.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    values: Vec<(&'static str, FilterValue)>,
}

impl Filters {
    /// No filter.
    pub fn none() -> Filters {
        Filters::default()
    }

    /// Sets the value of filter `name` (replacing an earlier one).
    pub fn set(&mut self, name: &'static str, value: FilterValue) {
        self.values.retain(|(known, _)| *known != name);
        self.values.push((name, value));
    }

    /// The same filters with `name` set to the one text `value`.
    pub fn with(mut self, name: &'static str, value: &str) -> Filters {
        self.set(name, FilterValue::Texts(vec![value.to_owned()]));
        self
    }

    /// The value of filter `name`, if the request gave one.
    pub fn get(&self, name: &str) -> Option<&FilterValue> {
        self.values
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, value)| value)
    }

    /// The texts given to filter `name` (none when it was not given).
    pub fn texts(&self, name: &str) -> &[String] {
        match self.get(name) {
            Some(FilterValue::Texts(values)) => values,
            _ => &[],
        }
    }

    /// The search query, if one was given.
    pub fn query(&self) -> Option<&CompiledQuery> {
        self.values.iter().find_map(|(_, value)| match value {
            FilterValue::Query(query) => Some(query),
            _ => None,
        })
    }
}

/// The existence checks of the values given to `fields`, in declaration order.
pub(crate) fn checks<'a>(fields: &'static [FilterField], filters: &'a Filters) -> Vec<Check<'a>> {
    fields
        .iter()
        .filter_map(|field| {
            let exists = field.exists?;
            Some(Check {
                filter: field.name,
                exists,
                values: filters.texts(field.name),
            })
        })
        .collect()
}

/// The `WHERE` conditions (each starting with ` AND `) of the values given to `fields`, in
/// declaration order; the filters of one [`Subquery`] together where the first of them
/// stands. The search query is not among them (see [`super::matches`]).
pub(crate) fn conditions(fields: &'static [FilterField], filters: &Filters) -> Sql {
    let mut sql = Sql::default();
    let mut opened: Vec<&'static Subquery> = Vec::new();
    for field in fields {
        let Some(value) = filters.get(field.name) else {
            continue;
        };
        match field.condition {
            Condition::Within(subquery, _) => {
                if opened.iter().any(|known| std::ptr::eq(*known, subquery)) {
                    continue;
                }
                opened.push(subquery);
                sql.push(subquery.open);
                for member in fields {
                    let Condition::Within(shared, inner) = member.condition else {
                        continue;
                    };
                    if let (true, Some(value)) =
                        (std::ptr::eq(shared, subquery), filters.get(member.name))
                    {
                        condition(&mut sql, inner, value);
                    }
                }
                sql.push(subquery.close);
            }
            other => condition(&mut sql, &other, value),
        }
    }
    sql
}

/// Appends the condition of one filter value.
fn condition(sql: &mut Sql, condition: &Condition, value: &FilterValue) {
    match (condition, value) {
        (Condition::In(column), FilterValue::Texts(values)) => and_in(sql, column, values),
        (Condition::In(column), FilterValue::Years(values)) => and_in_ints(sql, column, values),
        (Condition::InJurisdictions(column), FilterValue::Texts(values)) => {
            and_in_jurisdictions(sql, column, values);
        }
        (Condition::AtLeast(column), value) => compare(sql, column, " >= ", value),
        (Condition::AtMost(column), value) => compare(sql, column, " <= ", value),
        (Condition::Holds(when_true, when_false), FilterValue::Boolean(holds)) => {
            sql.push(" AND ")
                .push(if *holds { when_true } else { when_false });
        }
        (Condition::Within(_, inner), value) => self::condition(sql, inner, value),
        // The search query is the list's own condition; a value of another type than its
        // filter takes is never built (the API parses each filter by its declaration).
        _ => {}
    }
}

/// Appends ` AND column <operator> value`.
fn compare(sql: &mut Sql, column: &str, operator: &str, value: &FilterValue) {
    match value {
        FilterValue::Year(year) => {
            sql.push(" AND ")
                .push(column)
                .push(operator)
                .int(i64::from(*year));
        }
        FilterValue::Text(text) => {
            sql.push(" AND ")
                .push(column)
                .push(operator)
                .text(text.clone());
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static LINKS: Subquery = Subquery {
        open: " AND x.id IN (SELECT l.x FROM links l WHERE 1 = 1",
        close: ")",
    };

    static FIELDS: [FilterField; 4] = [
        FilterField::new(
            "agency",
            Takes::Texts,
            Condition::Within(&LINKS, &Condition::In("l.agency")),
            "",
        )
        .ids_of("agencies", "id", "agencies"),
        FilterField::new("year_from", Takes::Year, Condition::AtLeast("x.year"), ""),
        FilterField::new(
            "role",
            Takes::OneOf(&["lead"]),
            Condition::Within(&LINKS, &Condition::In("l.role")),
            "",
        ),
        FilterField::new(
            "open",
            Takes::Boolean,
            Condition::Holds("x.open = 1", "x.open = 0"),
            "",
        ),
    ];

    #[test]
    fn filters_of_one_subquery_share_it() {
        let mut filters = Filters::none().with("role", "lead");
        filters.set("year_from", FilterValue::Year(2020));
        filters.set("agency", FilterValue::Texts(vec!["a".into(), "b".into()]));
        let sql = conditions(&FIELDS, &filters);
        assert_eq!(
            sql.text,
            " AND x.id IN (SELECT l.x FROM links l WHERE 1 = 1 AND l.agency IN \
             (SELECT value FROM json_each(?)) AND l.role IN (SELECT value FROM json_each(?))) \
             AND x.year >= ?"
        );
        assert_eq!(sql.binds.len(), 3);
    }

    #[test]
    fn a_subquery_opens_for_any_of_its_filters() {
        let filters = Filters::none().with("role", "lead");
        let sql = conditions(&FIELDS, &filters);
        assert_eq!(
            sql.text,
            " AND x.id IN (SELECT l.x FROM links l WHERE 1 = 1 AND l.role IN \
             (SELECT value FROM json_each(?)))"
        );
    }

    #[test]
    fn booleans_choose_their_condition_and_checks_follow_the_declarations() {
        let mut filters = Filters::none().with("agency", "a");
        filters.set("open", FilterValue::Boolean(false));
        assert!(conditions(&FIELDS, &filters)
            .text
            .ends_with(" AND x.open = 0"));
        let checks = checks(&FIELDS, &filters);
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].filter, "agency");
        assert_eq!(checks[0].values, ["a"]);
    }
}
