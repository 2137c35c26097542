//! The corpus layer: Chinese policy documents in, plain structs out.
//!
//! Entry points: [`load_corpus`] parses a whole data folder; [`CorpusFiles`] parses it
//! document by document for a caller that writes each away; [`parse_document`] parses one
//! text against already loaded reference data. Nothing here touches SQL or HTTP.

/// A regular expression of the parser, compiled on first use: a `Lazy<Regex>` of a pattern
/// that is a constant of the code (a pattern that does not compile fails every test).
macro_rules! lazy_regex {
    ($pattern:expr) => {
        once_cell::sync::Lazy::new(|| regex::Regex::new($pattern).expect("valid regex"))
    };
}

pub mod add;
pub mod agency_model;
pub mod annotation;
pub mod citations;
pub mod deadlines;
pub mod decode;
pub mod divisions;
pub mod document;
pub mod extract;
pub mod goals;
pub mod jurisdiction;
pub mod metadata;
pub mod model;
pub mod normalize;
pub mod outline;
pub mod reference;
pub mod themes;
pub mod tokens;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use document::{parse_document, slug, ParseContext, ProvisionalAgencies};
use reference::{load_reference_data, Gazetteer};

pub use model::*;

/// An error that stops a load: the file, the line where known, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    /// The file at fault.
    pub file: PathBuf,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// What is wrong, in words a data editor understands.
    pub reason: String,
}

impl CorpusError {
    /// Builds an error for `file` at an optional line.
    pub fn new(file: impl Into<PathBuf>, line: Option<usize>, reason: impl Into<String>) -> Self {
        CorpusError {
            file: file.into(),
            line,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.reason),
            None => write!(f, "{}: {}", self.file.display(), self.reason),
        }
    }
}

impl std::error::Error for CorpusError {}

/// Parses every document of a data folder (`documents/*.txt|html|htm|docx|pdf`, `documents.toml`,
/// `agencies.toml`, `jurisdictions.toml`, `themes.toml`) into a [`Corpus`].
pub fn load_corpus(data_dir: &Path) -> Result<Corpus, CorpusError> {
    load_corpus_adding(data_dir, &[])
}

/// Parses a data folder as [`load_corpus`] does, with more documents read from elsewhere:
/// each `(id, path)` of `additions` as if it were `documents/<id>.<extension>` (what
/// `zhengce add` checks before it copies anything). An id given twice is an error.
pub fn load_corpus_adding(
    data_dir: &Path,
    additions: &[(String, PathBuf)],
) -> Result<Corpus, CorpusError> {
    let files = CorpusFiles::open(data_dir, additions)?;
    let mut documents = Vec::with_capacity(files.len());
    let provisional = files.parse_each(|document| {
        documents.push(document);
        Ok::<_, CorpusError>(())
    })?;
    Ok(files.assemble(documents, provisional))
}

/// A data folder ready to be parsed: its reference data and its document files, checked
/// (ids are slugs, none given twice, every manifest entry has a file), in corpus order.
///
/// [`CorpusFiles::parse_each`] hands the documents on one at a time, so that a caller that
/// writes each one away (the loader) never holds the whole corpus;
/// [`CorpusFiles::assemble`] then builds the [`Corpus`] from what it kept of them.
pub struct CorpusFiles {
    reference: reference::ReferenceData,
    files: Vec<(String, PathBuf)>,
    data_dir: PathBuf,
}

impl CorpusFiles {
    /// Reads the reference data of `data_dir` and lists its documents, with `additions`
    /// (see [`load_corpus_adding`]).
    pub fn open(data_dir: &Path, additions: &[(String, PathBuf)]) -> Result<Self, CorpusError> {
        let reference = load_reference_data(data_dir)?;
        let documents_dir = data_dir.join("documents");
        let entries = std::fs::read_dir(&documents_dir).map_err(|e| {
            CorpusError::new(&documents_dir, None, format!("cannot list documents: {e}"))
        })?;
        let mut files: Vec<(String, PathBuf)> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| {
                CorpusError::new(&documents_dir, None, format!("cannot list documents: {e}"))
            })?;
            let path = entry.path();
            let Some(stem) = document_file(&path)? else {
                continue;
            };
            files.push((stem, path));
        }
        files.extend(additions.iter().cloned());
        files.sort();
        for pair in files.windows(2) {
            if pair[0].0 == pair[1].0 {
                return Err(CorpusError::new(
                    &pair[1].1,
                    None,
                    format!(
                        "two files have the document id {:?} ({} and this one); keep one format of a document",
                        pair[0].0,
                        pair[0].1.display()
                    ),
                ));
            }
        }
        let stems: std::collections::HashSet<&str> =
            files.iter().map(|(stem, _)| stem.as_str()).collect();
        for id in reference.manifest.keys() {
            if !stems.contains(id.as_str()) {
                return Err(CorpusError::new(
                    data_dir.join("documents.toml"),
                    None,
                    format!(
                        "entry {id:?} has no file documents/{id}.txt (or .html, .htm, .docx, .pdf)"
                    ),
                ));
            }
        }
        Ok(CorpusFiles {
            reference,
            files,
            data_dir: data_dir.to_path_buf(),
        })
    }

    /// The number of document files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the folder has no document file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The themes of the reference data, in file order.
    pub fn themes(&self) -> &[Theme] {
        &self.reference.themes
    }

    /// Parses every document and hands each to `each`, in corpus order, and returns the
    /// provisional agencies the documents created. The documents are parsed on one worker
    /// per core, a few ahead of the one handed on, with the result of a parse one file after
    /// the other.
    pub fn parse_each<E: From<CorpusError>>(
        &self,
        each: impl FnMut(ParsedDocument) -> Result<(), E>,
    ) -> Result<ProvisionalAgencies, E> {
        let gazetteer = Gazetteer::new(&self.reference.agencies, &self.reference.jurisdictions);
        let context = ParseContext {
            reference: &self.reference,
            gazetteer: &gazetteer,
        };
        parse_in_order(&self.files, &context, each)
    }

    /// Builds the corpus from the parsed documents (or what a caller kept of them, see
    /// [`ParsedDocument::without_body`]) and the provisional agencies.
    pub fn assemble(
        self,
        documents: Vec<ParsedDocument>,
        provisional: ProvisionalAgencies,
    ) -> Corpus {
        assemble(self.reference, documents, provisional, &self.data_dir)
    }
}

/// Whether a path in `documents/` is a document file: its id (the file stem) when it is,
/// `None` for files that are no document (no extension or an unrelated one, such as a
/// README), an error for a document format that is not taken, a file over the size limit
/// or a name that is not a slug.
pub fn document_file(path: &Path) -> Result<Option<String>, CorpusError> {
    let Some(name) = path.file_name().and_then(|s| s.to_str()) else {
        return Err(CorpusError::new(
            path,
            None,
            "the file name is not valid UTF-8",
        ));
    };
    if name.starts_with('.') {
        return Ok(None);
    }
    let format = extract::Format::of_file_name(name)
        .map_err(|error| CorpusError::new(path, None, error.to_string()))?;
    if format.is_none() {
        return Ok(None);
    }
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    if !is_slug(stem) {
        return Err(CorpusError::new(
            path,
            None,
            format!("a document file name must be a slug: lowercase ASCII letters, digits and hyphens, then one of {}", extract::ACCEPTED),
        ));
    }
    if let Ok(metadata) = std::fs::metadata(path) {
        refuse_oversized(path, metadata.len())?;
    }
    Ok(Some(stem.to_string()))
}

/// Refuses a file of `bytes` bytes over the size limit, before it is read.
pub(crate) fn refuse_oversized(path: &Path, bytes: u64) -> Result<(), CorpusError> {
    if bytes > extract::MAX_FILE_BYTES {
        return Err(CorpusError::new(
            path,
            None,
            extract::ExtractError::TooLarge { bytes }.to_string(),
        ));
    }
    Ok(())
}

/// Whether a text is a document id: lowercase ASCII letters, digits and hyphens, not
/// empty, not starting or ending with a hyphen.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Documents each parse worker may have parsed ahead of the one being handed on: enough to
/// keep the workers busy while the caller writes, few enough that memory stays bounded.
const PARSED_AHEAD_PER_WORKER: usize = 32;

/// Reads and parses the files in parallel (one worker per core) and hands the documents to
/// `each` in the order of `files`, exactly as a parse one file after the other would; it
/// returns the provisional agencies they created.
///
/// A document's parse depends on the others only through the provisional agencies created
/// for names the gazetteer lacks, which are numbered in order of first appearance. Workers
/// therefore parse with a private, throw-away registry; every document that needed a
/// provisional agency is then parsed again, in corpus order, with the shared registry. The
/// error returned is the one of the first failing file in corpus order (or the first of
/// `each`). Worker `w` of `n` parses files `w`, `w + n`, … and waits once it is
/// [`PARSED_AHEAD_PER_WORKER`] documents ahead, so at most that many per worker are held at
/// once besides the ones `each` keeps.
fn parse_in_order<E: From<CorpusError>>(
    files: &[(String, PathBuf)],
    context: &ParseContext<'_>,
    mut each: impl FnMut(ParsedDocument) -> Result<(), E>,
) -> Result<ProvisionalAgencies, E> {
    /// One file's outcome: the parse, whether it asked for a provisional agency, and the
    /// agencies it derived from the model.
    type Parsed = Result<(ParsedDocument, bool, BTreeMap<String, Agency>), CorpusError>;

    fn parse_one(
        id: &str,
        path: &Path,
        context: &ParseContext<'_>,
        provisional: &mut ProvisionalAgencies,
    ) -> Result<ParsedDocument, CorpusError> {
        let raw = std::fs::read(path)
            .map_err(|e| CorpusError::new(path, None, format!("cannot read: {e}")))?;
        // `<id>.<extension>`: the name in documents/ (an addition's name once copied).
        let file_name = match path.extension().and_then(|e| e.to_str()) {
            Some(extension) => format!("{id}.{extension}"),
            None => id.to_string(),
        };
        parse_document(id, &file_name, raw, context, provisional)
            .map_err(|reason| CorpusError::new(path, None, reason))
    }

    fn parse_privately(id: &str, path: &Path, context: &ParseContext<'_>) -> Parsed {
        let mut private = ProvisionalAgencies::default();
        parse_one(id, path, context, &mut private).map(|document| {
            let needs_registry = !private.agencies.is_empty();
            (document, needs_registry, private.derived)
        })
    }

    let mut provisional = ProvisionalAgencies::default();
    // Takes one file's outcome, in corpus order, into the shared registry and hands the
    // document on.
    let mut take = |(id, path): &(String, PathBuf), outcome: Parsed| -> Result<(), E> {
        let (mut document, needs_registry, derived) = outcome?;
        if needs_registry {
            let raw = std::mem::take(&mut document.raw);
            let file_name = std::mem::take(&mut document.file_name);
            document = parse_document(id, &file_name, raw, context, &mut provisional)
                .map_err(|reason| CorpusError::new(path, None, reason))?;
        } else {
            for (id, agency) in derived {
                provisional.derived.entry(id).or_insert(agency);
            }
        }
        each(document)
    };

    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len());
    if workers <= 1 {
        for file in files {
            take(file, parse_privately(&file.0, &file.1, context))?;
        }
    } else {
        std::thread::scope(|scope| {
            let receivers: Vec<_> = (0..workers)
                .map(|worker| {
                    let (sender, receiver) =
                        std::sync::mpsc::sync_channel::<Parsed>(PARSED_AHEAD_PER_WORKER);
                    scope.spawn(move || {
                        for (id, path) in files.iter().skip(worker).step_by(workers) {
                            let outcome = parse_privately(id, path, context);
                            let failed = outcome.is_err();
                            // A closed channel: the caller stopped at an earlier error.
                            if sender.send(outcome).is_err() || failed {
                                break;
                            }
                        }
                    });
                    receiver
                })
                .collect();
            for (index, file) in files.iter().enumerate() {
                let outcome = match receivers[index % workers].recv() {
                    Ok(outcome) => outcome,
                    // The worker stopped: it failed on an earlier file, already taken.
                    // Parse it here, as a parse one file after the other would.
                    Err(_) => parse_privately(&file.0, &file.1, context),
                };
                take(file, outcome)?;
            }
            Ok::<_, E>(())
        })?;
    }
    Ok(provisional)
}

/// Builds the corpus from parsed documents: provisional agencies, deduplicated cited
/// documents and cross-references, and the warning list.
pub fn assemble(
    reference: reference::ReferenceData,
    documents: Vec<ParsedDocument>,
    provisional: ProvisionalAgencies,
    data_dir: &Path,
) -> Corpus {
    let (cited_documents, references) = link_citations(&documents);
    let mut warnings = Vec::new();
    for document in &documents {
        let file = data_dir
            .join("documents")
            .join(&document.file_name)
            .display()
            .to_string();
        for warning in &document.warnings {
            warnings.push(CorpusWarning {
                document: Some(document.id.clone()),
                file: file.clone(),
                warning: warning.clone(),
            });
        }
    }
    let mut agencies = reference.agencies;
    agencies.extend(provisional.derived.into_values());
    agencies.extend(provisional.agencies);
    Corpus {
        jurisdictions: reference.jurisdictions,
        agencies,
        themes: reference.themes,
        documents,
        cited_documents,
        references,
        warnings,
    }
}

/// Ties every citation to one cited-document record: two citations are of the same
/// document when they give the same document number or the same title (the issuer before
/// `关于` ignored). A cited document is resolved to a corpus document with that number or
/// title.
fn link_citations(documents: &[ParsedDocument]) -> (Vec<CitedDocument>, Vec<CrossReference>) {
    // Union-find over (document index, citation index).
    let all: Vec<(usize, usize)> = documents
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| (0..doc.citations.len()).map(move |c| (d, c)))
        .collect();
    let mut parent: Vec<usize> = (0..all.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let corpus_keys: HashMap<String, String> = documents
        .iter()
        .flat_map(|doc| {
            let mut keys = vec![(
                format!("t:{}", citations::title_key(&doc.metadata.title)),
                doc.id.clone(),
            )];
            if let Some(number) = &doc.metadata.doc_number {
                keys.push((format!("n:{}", number.text), doc.id.clone()));
            }
            keys
        })
        .collect();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (index, &(d, c)) in all.iter().enumerate() {
        let citation = &documents[d].citations[c];
        let mut keys: Vec<String> = citation
            .doc_number
            .iter()
            .map(|n| format!("n:{}", n.text))
            .chain(
                citation
                    .title
                    .iter()
                    .map(|t| format!("t:{}", citations::title_key(t))),
            )
            .collect();
        // Citations of one corpus document by its title and by its number are one record.
        let resolved: Vec<String> = keys
            .iter()
            .filter_map(|key| corpus_keys.get(key))
            .map(|id| format!("d:{id}"))
            .collect();
        keys.extend(resolved);
        for key in keys {
            match by_key.get(&key) {
                Some(&other) => {
                    let (a, b) = (find(&mut parent, index), find(&mut parent, other));
                    parent[a.max(b)] = a.min(b);
                }
                None => {
                    by_key.insert(key, index);
                }
            }
        }
    }
    // Groups in order of first citation, so that ids are stable for the same corpus.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of_root: HashMap<usize, usize> = HashMap::new();
    for index in 0..all.len() {
        let root = find(&mut parent, index);
        match group_of_root.get(&root) {
            Some(&group) => groups[group].push(index),
            None => {
                group_of_root.insert(root, groups.len());
                groups.push(vec![index]);
            }
        }
    }
    let mut cited = Vec::new();
    let mut references = Vec::new();
    let mut used_ids: std::collections::HashSet<String> = std::collections::HashSet::new();
    for members in groups {
        let citations: Vec<&Citation> = members
            .iter()
            .map(|&i| &documents[all[i].0].citations[all[i].1])
            .collect();
        let title = citations
            .iter()
            .filter_map(|c| c.title.clone())
            .max_by_key(|t| t.chars().count());
        let doc_number = citations.iter().find_map(|c| c.doc_number.clone());
        let mut id = match (&doc_number, &title) {
            (Some(number), _) => format!(
                "{}-{}-{}",
                slug(&number.issuer_code, 40),
                number.year,
                number.serial
            ),
            (None, Some(title)) => slug(&citations::title_key(title), 64),
            (None, None) => "cited".to_string(),
        };
        if used_ids.contains(&id) {
            let base = id.clone();
            let mut suffix = 2;
            while used_ids.contains(&id) {
                id = format!("{base}-{suffix}");
                suffix += 1;
            }
        }
        used_ids.insert(id.clone());
        let document = doc_number
            .iter()
            .map(|n| format!("n:{}", n.text))
            .chain(
                title
                    .iter()
                    .map(|t| format!("t:{}", citations::title_key(t))),
            )
            .find_map(|key| corpus_keys.get(&key).cloned());
        for &member in &members {
            let (d, c) = all[member];
            references.push(CrossReference {
                id: format!(
                    "{}--r{}",
                    documents[d].id, documents[d].citations[c].ordinal
                ),
                citing_document: documents[d].id.clone(),
                citation: c,
                cited: id.clone(),
            });
        }
        cited.push(CitedDocument {
            id,
            title,
            doc_number,
            document,
        });
    }
    cited.sort_by(|a, b| a.id.cmp(&b.id));
    references.sort_by(|a, b| {
        (a.citing_document.as_str(), a.citation).cmp(&(b.citing_document.as_str(), b.citation))
    });
    (cited, references)
}

/// A human-readable report of a parsed corpus: one line per document and every warning
/// as `file:line: kind: message`.
pub fn check_report(corpus: &Corpus) -> String {
    use std::fmt::Write;
    let mut report = String::new();
    for document in &corpus.documents {
        let links: usize = document.measures.iter().map(|m| m.agencies.len()).sum();
        let _ = writeln!(
            report,
            "{}: {} measures, {} agency links, {} goals, {} references, {} warnings",
            document.id,
            document.measures.len(),
            links,
            document.goals.len(),
            document.citations.len(),
            document.warnings.len()
        );
    }
    for item in &corpus.warnings {
        let location = match item.warning.line {
            Some(line) => format!("{}:{}", item.file, line),
            None => item.file.clone(),
        };
        let _ = writeln!(
            report,
            "{location}: {}: {}",
            item.warning.kind.as_str(),
            item.warning.message
        );
    }
    let _ = writeln!(
        report,
        "{} documents, {} warnings",
        corpus.documents.len(),
        corpus.warnings.len()
    );
    report
}
