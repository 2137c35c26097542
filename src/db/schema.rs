//! The diesel schema: one `table!` per table of
//! `migrations/2026-11-25-000000_create_tables/up.sql`, column for column.
//!
//! `tests/db_load.rs` checks that the column names and their order match the migration.

diesel::table! {
    /// Facts about the loaded dataset, as key/value pairs (`version`, `loaded_at`, counts).
    dataset (key) {
        /// Name of the fact: `version`, `loaded_at`, `documents`, `zhengce_version` …
        key -> Text,
        /// Its value, as text.
        value -> Text,
    }
}

diesel::table! {
    /// Jurisdictions from `data/jurisdictions.toml`.
    jurisdictions (id) {
        /// Slug id: `chongqing-yubei`.
        id -> Text,
        /// Chinese name.
        name -> Text,
        /// English name.
        name_en -> Text,
        /// `national`, `province`, `municipality`, `district`, `county`.
        level -> Text,
        /// Parent jurisdiction id.
        parent_id -> Nullable<Text>,
        /// JSON array of other names.
        aliases -> Text,
        /// Order in the data file.
        position -> Integer,
        /// GB/T 2260 code (`310000`; `000000` for the nation), when known.
        code -> Nullable<Text>,
    }
}

diesel::table! {
    /// Corpus documents with their metadata, raw bytes and per-document counts.
    documents (id) {
        /// Document id: the file stem.
        id -> Text,
        /// Title without draft markers.
        title -> Text,
        /// Issuing body as printed.
        issuer -> Nullable<Text>,
        /// Jurisdiction id.
        jurisdiction_id -> Nullable<Text>,
        /// Document number as normalized: `渝府办发〔2020〕25号`.
        doc_number -> Nullable<Text>,
        /// Issuer code of the document number: `渝府办发`.
        doc_number_issuer_code -> Nullable<Text>,
        /// Year of the document number.
        doc_number_year -> Nullable<Integer>,
        /// Serial of the document number.
        doc_number_serial -> Nullable<Integer>,
        /// Date of issue, ISO `YYYY-MM-DD`.
        date -> Nullable<Text>,
        /// Year of the date, or of the document number when there is no date.
        year -> Nullable<Integer>,
        /// Document kind: 实施方案, 行动计划 …
        kind -> Text,
        /// `final` or `draft`.
        status -> Text,
        /// Start of the consultation period (drafts).
        consultation_start -> Nullable<Text>,
        /// End of the consultation period (drafts).
        consultation_end -> Nullable<Text>,
        /// File name in `data/documents/`.
        file_name -> Text,
        /// Encoding the file was decoded from.
        encoding -> Text,
        /// Lowercase hex SHA-256 of the raw bytes.
        sha256 -> Text,
        /// The file exactly as received; NULL when it is `source` byte for byte (a UTF-8
        /// plain-text file).
        raw -> Nullable<Binary>,
        /// Text extracted from the file (decoded text, an HTML page's article, a DOCX
        /// file's paragraphs, a PDF's text layer); spans index into it.
        source -> Text,
        /// Number of measures.
        measure_count -> Integer,
        /// Number of goals.
        goal_count -> Integer,
        /// Number of citations of other documents.
        reference_count -> Integer,
        /// Number of agency mentions over all measures.
        agency_link_count -> Integer,
        /// Number of distinct agency names that did not resolve.
        unresolved_count -> Integer,
        /// Number of parser warnings.
        warning_count -> Integer,
        /// File format: `txt`, `html`, `docx` or `pdf`.
        format -> Text,
        /// Name and version of the extractor that produced `source`.
        extractor -> Text,
    }
}

diesel::table! {
    /// Nodes of each document's numbered outline.
    provisions (id) {
        /// Stable id: `{document}--p3.s4.i1`.
        id -> Text,
        /// Document id.
        document_id -> Text,
        /// Parent provision id.
        parent_id -> Nullable<Text>,
        /// Order within the document (0-based).
        position -> Integer,
        /// `part`, `section`, `item`, `subitem`.
        level -> Text,
        /// Label as printed: `一、`, `（四）`, `1.`.
        label -> Text,
        /// Number the label stands for.
        number -> Integer,
        /// Heading, if any.
        title -> Nullable<Text>,
        /// Normalized text of the node's own paragraphs; NULL where it is the text and
        /// annotation of the measure standing on it.
        text -> Nullable<Text>,
        /// Whether a measure stands on this provision.
        is_measure -> Bool,
        /// Byte offset of the span start in the source.
        span_start -> Integer,
        /// Byte offset one past the span end.
        span_end -> Integer,
        /// First line of the span (1-based).
        line_start -> Integer,
        /// Last line of the span (1-based, inclusive).
        line_end -> Integer,
    }
}

diesel::table! {
    /// Actionable units of the documents.
    measures (id) {
        /// Same as its provision id.
        id -> Text,
        /// Document id.
        document_id -> Text,
        /// Provision id.
        provision_id -> Text,
        /// 1-based position among the document's measures.
        ordinal -> Integer,
        /// Item number, where the measure is a numbered item.
        number -> Nullable<Integer>,
        /// Label as printed.
        label -> Text,
        /// Title (lead phrase), if any.
        title -> Nullable<Text>,
        /// Normalized text without the annotation.
        text -> Text,
        /// JSON array of the headings above the measure, outermost first.
        path -> Text,
        /// Agency annotation as printed, if any.
        annotation -> Nullable<Text>,
        /// Byte offset of the span start in the source.
        span_start -> Integer,
        /// Byte offset one past the span end.
        span_end -> Integer,
        /// First line of the span (1-based).
        line_start -> Integer,
        /// Last line of the span (1-based, inclusive).
        line_end -> Integer,
        /// JSON array of the measure's agency links, in annotation order (id, role, raw_name,
        /// start, end, line_start, line_end): a copy of its `measure_agencies` rows.
        agencies -> Text,
        /// JSON array of the ids of the measure's themes, in theme order: a copy of its
        /// `measure_themes` rows.
        themes -> Text,
        /// JSON array of the measure's deadlines, in reading order (text, date, start, end,
        /// line_start, line_end): a copy of its `deadlines` rows.
        deadlines -> Text,
    }
}

diesel::table! {
    /// Agencies: gazetteer entries and provisional ones for unresolved names.
    agencies (id) {
        /// Slug id.
        id -> Text,
        /// Jurisdiction id.
        jurisdiction_id -> Nullable<Text>,
        /// Canonical name.
        name -> Text,
        /// English name.
        name_en -> Nullable<Text>,
        /// `government_department`, `party_organ`, `collective` …
        kind -> Text,
        /// `false` for provisional agencies.
        resolved -> Bool,
        /// Editorial note.
        note -> Nullable<Text>,
        /// Where the record comes from: `gazetteer`, `model` or `provisional`.
        origin -> Text,
    }
}

diesel::table! {
    /// Short forms and variants of agency names.
    agency_aliases (agency_id, alias) {
        /// Agency id.
        agency_id -> Text,
        /// The alias.
        alias -> Text,
    }
}

diesel::table! {
    /// Agencies named in measure annotations, with their role.
    measure_agencies (measure_id, position) {
        /// Measure id.
        measure_id -> Text,
        /// Order in the annotation (0-based).
        position -> Integer,
        /// Agency id.
        agency_id -> Text,
        /// `lead`, `cooperating`, `responsible`, `guide`, `participate`.
        role -> Text,
        /// The name as printed.
        raw_name -> Text,
        /// Byte offset of the start of the printed name in the source.
        span_start -> Integer,
        /// Byte offset one past the end of the printed name.
        span_end -> Integer,
        /// First line of the printed name (1-based).
        line_start -> Integer,
        /// Last line of the printed name (1-based, inclusive).
        line_end -> Integer,
    }
}

diesel::table! {
    /// Time-bound commitments of measures: `2019年6月底前`, `到2020年`.
    deadlines (measure_id, position) {
        /// Measure id.
        measure_id -> Text,
        /// Order in the measure (0-based).
        position -> Integer,
        /// The phrase as printed (normalized).
        text -> Text,
        /// The last day of the period named, ISO `YYYY-MM-DD`; `NULL` when no year is known.
        date -> Nullable<Text>,
        /// Byte offset of the span start in the source.
        span_start -> Integer,
        /// Byte offset one past the span end.
        span_end -> Integer,
        /// First line of the span (1-based).
        line_start -> Integer,
        /// Last line of the span (1-based, inclusive).
        line_end -> Integer,
    }
}

diesel::table! {
    /// Quantified targets.
    goals (id) {
        /// Stable id: `{document}--g3`.
        id -> Text,
        /// Document id.
        document_id -> Text,
        /// Provision the goal stands in.
        provision_id -> Nullable<Text>,
        /// 1-based position among the document's goals.
        ordinal -> Integer,
        /// What is measured.
        metric -> Text,
        /// The value as a number.
        value -> Double,
        /// The value as printed.
        value_text -> Text,
        /// Unit as printed.
        unit -> Text,
        /// `eq`, `gte`, `gt`, `lte`, `approx`.
        comparator -> Text,
        /// Words that gave the comparator.
        comparator_text -> Text,
        /// Target year.
        year -> Nullable<Integer>,
        /// Value in base units.
        value_base -> Nullable<Double>,
        /// Base unit: `yuan`, `percent`, `count` …
        base_unit -> Nullable<Text>,
        /// The clause the goal was read from.
        clause -> Text,
        /// The sentence the goal came from.
        sentence -> Text,
        /// Byte offset of the span start in the source.
        span_start -> Integer,
        /// Byte offset one past the span end.
        span_end -> Integer,
        /// First line of the span (1-based).
        line_start -> Integer,
        /// Last line of the span (1-based, inclusive).
        line_end -> Integer,
    }
}

diesel::table! {
    /// Documents cited by the corpus, deduplicated across citing documents.
    cited_documents (id) {
        /// Slug id.
        id -> Text,
        /// Title, if any citation gave one.
        title -> Nullable<Text>,
        /// Document number, if any citation gave one.
        doc_number -> Nullable<Text>,
        /// Issuer code of the document number.
        doc_number_issuer_code -> Nullable<Text>,
        /// Year of the document number.
        doc_number_year -> Nullable<Integer>,
        /// Serial of the document number.
        doc_number_serial -> Nullable<Integer>,
        /// Corpus document id when the cited document is in the corpus.
        document_id -> Nullable<Text>,
    }
}

diesel::table! {
    /// Each citation of a cited document by a corpus document.
    cross_references (id) {
        /// Stable id: `{document}--r2`.
        id -> Text,
        /// Citing document id.
        citing_document_id -> Text,
        /// Cited document id.
        cited_document_id -> Text,
        /// Provision the citation stands in.
        provision_id -> Nullable<Text>,
        /// 1-based position among the citing document's citations.
        ordinal -> Integer,
        /// The citation as printed.
        raw -> Text,
        /// Title as this citation printed it.
        title -> Nullable<Text>,
        /// Document number as this citation printed it.
        doc_number -> Nullable<Text>,
        /// The sentence the citation stands in.
        context -> Text,
        /// Byte offset of the span start in the source.
        span_start -> Integer,
        /// Byte offset one past the span end.
        span_end -> Integer,
        /// First line of the span (1-based).
        line_start -> Integer,
        /// Last line of the span (1-based, inclusive).
        line_end -> Integer,
    }
}

diesel::table! {
    /// The controlled theme vocabulary.
    themes (id) {
        /// Slug id.
        id -> Text,
        /// Chinese name.
        name -> Text,
        /// English name.
        name_en -> Text,
        /// What the theme covers.
        description -> Text,
        /// JSON `{"strong": [...], "weak": [...]}`.
        keywords -> Text,
        /// Order in the data file.
        position -> Integer,
    }
}

diesel::table! {
    /// Themes each measure is tagged with.
    measure_themes (measure_id, theme_id) {
        /// Measure id.
        measure_id -> Text,
        /// Theme id.
        theme_id -> Text,
    }
}

diesel::table! {
    /// Parser warnings.
    warnings (id) {
        /// 1-based position in the corpus warning list.
        id -> Integer,
        /// Document id, or NULL for corpus-wide warnings.
        document_id -> Nullable<Text>,
        /// File the warning is about.
        file -> Text,
        /// Warning kind: `unresolved_agency`, `numbering_gap` …
        kind -> Text,
        /// 1-based line, where it applies.
        line -> Nullable<Integer>,
        /// Human-readable explanation.
        message -> Text,
    }
}

diesel::joinable!(documents -> jurisdictions (jurisdiction_id));
diesel::joinable!(provisions -> documents (document_id));
diesel::joinable!(measures -> documents (document_id));
diesel::joinable!(measures -> provisions (provision_id));
diesel::joinable!(agencies -> jurisdictions (jurisdiction_id));
diesel::joinable!(agency_aliases -> agencies (agency_id));
diesel::joinable!(measure_agencies -> measures (measure_id));
diesel::joinable!(measure_agencies -> agencies (agency_id));
diesel::joinable!(deadlines -> measures (measure_id));
diesel::joinable!(goals -> documents (document_id));
diesel::joinable!(goals -> provisions (provision_id));
diesel::joinable!(cited_documents -> documents (document_id));
diesel::joinable!(cross_references -> documents (citing_document_id));
diesel::joinable!(cross_references -> cited_documents (cited_document_id));
diesel::joinable!(cross_references -> provisions (provision_id));
diesel::joinable!(measure_themes -> measures (measure_id));
diesel::joinable!(measure_themes -> themes (theme_id));
diesel::joinable!(warnings -> documents (document_id));

diesel::table! {
    /// Every searchable record; `id` is the rowid of its entry in the contentless FTS5
    /// table `search_fts`. Its display texts are read from the record (view `search_texts`).
    search_docs (id) {
        /// Rowid of the record's entry in `search_fts`.
        id -> BigInt,
        /// `measure`, `document`, `goal` or `agency`.
        kind -> Text,
        /// Id of the record.
        record_id -> Text,
        /// Document of the record, if any.
        document_id -> Nullable<Text>,
    }
}

diesel::table! {
    /// The counts and facets of every list without filters, computed once by the loader.
    precomputed (statement) {
        /// The statement as the server runs it, with its values.
        statement -> Text,
        /// Its result rows as a JSON array.
        rows -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    precomputed,
    search_docs,
    dataset,
    jurisdictions,
    documents,
    provisions,
    measures,
    agencies,
    agency_aliases,
    measure_agencies,
    deadlines,
    goals,
    cited_documents,
    cross_references,
    themes,
    measure_themes,
    warnings,
);
