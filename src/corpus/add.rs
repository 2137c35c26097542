//! `zhengce add`: new document files checked against the corpus, then copied into
//! `data/documents/` byte for byte.
//!
//! Nothing is copied unless every file reads: each is extracted and parsed together with the
//! documents already there (so that names resolve and ids are checked as a load would), an
//! id is taken from `--id` or derived from the title (pinyin), and a file whose content is
//! already in the corpus under another id is refused. The report says what was found and
//! gives a ready-to-paste gazetteer entry for every name that did not resolve.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::document::slug;
use super::extract::{self, Format};
use super::{
    document_file, is_slug, load_corpus_adding, AgencyOrigin, CorpusError, ParsedDocument,
};

/// The longest id derived from a title, in bytes.
const MAX_DERIVED_ID: usize = 60;

/// One document added.
#[derive(Debug, Clone)]
pub struct AddedDocument {
    /// The file as given.
    pub from: PathBuf,
    /// Where it was copied.
    pub to: PathBuf,
    /// The document as parsed.
    pub document: ParsedDocument,
    /// Names that resolved to no gazetteer or model agency: (name as printed, the
    /// jurisdiction it was read in).
    pub unresolved: Vec<(String, Option<String>)>,
}

/// What `zhengce add` did.
#[derive(Debug, Clone)]
pub struct AddReport {
    /// The documents added, in the order given.
    pub added: Vec<AddedDocument>,
}

/// Checks `files` against the corpus of `data_dir` and copies them into its `documents/`
/// folder. `id` names the document (one file only); without it the id is derived from
/// the title. On any error nothing is copied.
pub fn add_documents(
    data_dir: &Path,
    files: &[PathBuf],
    id: Option<&str>,
) -> Result<AddReport, CorpusError> {
    let documents_dir = data_dir.join("documents");
    let Some(first) = files.first() else {
        return Err(CorpusError::new(data_dir, None, "no file given to add"));
    };
    if id.is_some() && files.len() > 1 {
        return Err(CorpusError::new(
            first,
            None,
            "--id names one document; add several files one by one to name each",
        ));
    }
    if let Some(id) = id {
        if !is_slug(id) {
            return Err(CorpusError::new(
                first,
                None,
                format!(
                    "--id {id:?} is not a slug: use lowercase ASCII letters, digits and hyphens"
                ),
            ));
        }
    }
    let existing = existing_ids(&documents_dir)?;

    // Read and extract each file on its own first: a clear reason per file.
    let mut ids: Vec<String> = Vec::new();
    for path in files {
        let bytes = read_checked(path)?;
        let name = file_name(path)?;
        let format = Format::of_file_name(&name)
            .map_err(|error| CorpusError::new(path, None, error.to_string()))?
            .ok_or_else(|| {
                CorpusError::new(
                    path,
                    None,
                    format!(
                        "not a document file: documents are taken as {}",
                        extract::ACCEPTED
                    ),
                )
            })?;
        let extracted = extract::extract(format, &bytes)
            .map_err(|error| CorpusError::new(path, None, error.to_string()))?;
        let chosen = match id {
            Some(id) => id.to_string(),
            None => derived_id(path, &name, &extracted)?,
        };
        if let Some(taken) = existing.get(&chosen) {
            return Err(CorpusError::new(
                path,
                None,
                format!(
                    "the id {chosen:?} is taken by {}; give another with --id",
                    taken.display()
                ),
            ));
        }
        if ids.contains(&chosen) {
            return Err(CorpusError::new(
                path,
                None,
                format!("two of the files given would both be {chosen:?}; add them one by one with --id"),
            ));
        }
        ids.push(chosen);
    }

    let additions: Vec<(String, PathBuf)> =
        ids.iter().cloned().zip(files.iter().cloned()).collect();
    let corpus = load_corpus_adding(data_dir, &additions)?;
    let mut added = Vec::new();
    for (id, path) in &additions {
        let Some(document) = corpus.documents.iter().find(|d| &d.id == id) else {
            return Err(CorpusError::new(path, None, "the document was not parsed"));
        };
        let digest = Sha256::digest(&document.raw);
        for other in corpus.documents.iter().filter(|d| &d.id != id) {
            let same_file = Sha256::digest(&other.raw) == digest;
            if same_file || other.text == document.text {
                let what = if same_file {
                    "the same file"
                } else {
                    "the same text"
                };
                return Err(CorpusError::new(
                    path,
                    None,
                    format!(
                        "{what} is already in the corpus as {:?} ({}); not added",
                        other.id, other.file_name
                    ),
                ));
            }
        }
        let provisional: BTreeMap<&str, Option<&String>> = corpus
            .agencies
            .iter()
            .filter(|a| a.origin == AgencyOrigin::Provisional)
            .map(|a| (a.id.as_str(), a.jurisdiction.as_ref()))
            .collect();
        let mut unresolved: Vec<(String, Option<String>)> = Vec::new();
        for mention in document.measures.iter().flat_map(|m| &m.agencies) {
            if let Some(jurisdiction) = provisional.get(mention.agency_id.as_str()) {
                let entry = (mention.raw_name.clone(), jurisdiction.cloned());
                if !unresolved.contains(&entry) {
                    unresolved.push(entry);
                }
            }
        }
        added.push(AddedDocument {
            from: path.clone(),
            to: documents_dir.join(&document.file_name),
            document: document.clone(),
            unresolved,
        });
    }

    // Copy last, each without replacing anything; on a failure the copies made are undone.
    let mut copied: Vec<PathBuf> = Vec::new();
    for document in &added {
        if let Err(reason) = copy_new(&document.document.raw, &document.to) {
            for path in &copied {
                let _ = std::fs::remove_file(path);
            }
            return Err(CorpusError::new(
                &document.to,
                None,
                format!("cannot copy {} here: {reason}", document.from.display()),
            ));
        }
        copied.push(document.to.clone());
    }
    Ok(AddReport { added })
}

/// The ids of the documents already in `documents/`, with their files.
fn existing_ids(documents_dir: &Path) -> Result<BTreeMap<String, PathBuf>, CorpusError> {
    let entries = std::fs::read_dir(documents_dir).map_err(|e| {
        CorpusError::new(documents_dir, None, format!("cannot list documents: {e}"))
    })?;
    let mut ids = BTreeMap::new();
    for entry in entries {
        let entry = entry.map_err(|e| {
            CorpusError::new(documents_dir, None, format!("cannot list documents: {e}"))
        })?;
        let path = entry.path();
        if let Some(id) = document_file(&path)? {
            ids.insert(id, path);
        }
    }
    Ok(ids)
}

/// The file's bytes, refused over the size limit before reading.
fn read_checked(path: &Path) -> Result<Vec<u8>, CorpusError> {
    let metadata = std::fs::metadata(path)
        .map_err(|e| CorpusError::new(path, None, format!("cannot read: {e}")))?;
    if !metadata.is_file() {
        return Err(CorpusError::new(path, None, "not a file"));
    }
    super::refuse_oversized(path, metadata.len())?;
    std::fs::read(path).map_err(|e| CorpusError::new(path, None, format!("cannot read: {e}")))
}

fn file_name(path: &Path) -> Result<String, CorpusError> {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_string)
        .ok_or_else(|| CorpusError::new(path, None, "the file name is not valid UTF-8"))
}

/// The id of a document from its title in pinyin (`chong-qing-shi-...`), else from the
/// file name when that is a slug.
fn derived_id(
    path: &Path,
    name: &str,
    extracted: &extract::Extracted,
) -> Result<String, CorpusError> {
    let normalized = super::normalize::normalize(&extracted.text);
    let paragraphs = normalized.paragraphs();
    let mut inferred = super::metadata::infer(&paragraphs, &normalized.text);
    extracted.hints.fill(&mut inferred);
    if let Some(title) = inferred.title {
        let id = slug(&title, MAX_DERIVED_ID);
        if is_slug(&id) && id != "x" {
            return Ok(id);
        }
    }
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    if is_slug(stem) {
        return Ok(stem.to_string());
    }
    Err(CorpusError::new(
        path,
        None,
        "no title found in the text to derive an id from, and the file name is not a slug; give one with --id",
    ))
}

/// Writes `bytes` to a new file at `to` (never replacing one), through a temporary file in
/// the same folder so that a partial copy is never seen.
fn copy_new(bytes: &[u8], to: &Path) -> Result<(), String> {
    let folder = to.parent().ok_or("no folder")?;
    let mut temporary = tempfile::NamedTempFile::new_in(folder).map_err(|e| e.to_string())?;
    temporary.write_all(bytes).map_err(|e| e.to_string())?;
    temporary.flush().map_err(|e| e.to_string())?;
    temporary
        .persist_noclobber(to)
        .map(|_| ())
        .map_err(|e| e.error.to_string())
}

impl fmt::Display for AddReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for added in &self.added {
            let document = &added.document;
            let metadata = &document.metadata;
            let links: usize = document.measures.iter().map(|m| m.agencies.len()).sum();
            let deadlines: usize = document.measures.iter().map(|m| m.deadlines.len()).sum();
            writeln!(
                f,
                "added {} as {} (id {})",
                added.from.display(),
                added.to.display(),
                document.id
            )?;
            writeln!(
                f,
                "  format:       {} ({}, {})",
                document.format(),
                document.extractor(),
                document.encoding
            )?;
            writeln!(f, "  title:        {}", metadata.title)?;
            let or_none = |value: Option<&str>| value.unwrap_or("(not found)").to_string();
            writeln!(
                f,
                "  number:       {}",
                or_none(metadata.doc_number.as_ref().map(|n| n.text.as_str()))
            )?;
            writeln!(f, "  issuer:       {}", or_none(metadata.issuer.as_deref()))?;
            writeln!(
                f,
                "  jurisdiction: {}",
                or_none(metadata.jurisdiction.as_deref())
            )?;
            writeln!(f, "  date:         {}", or_none(metadata.date.as_deref()))?;
            writeln!(
                f,
                "  found:        {} measures, {} agency links, {} goals, {} deadlines, {} references, {} warnings",
                document.measures.len(),
                links,
                document.goals.len(),
                deadlines,
                document.citations.len(),
                document.warnings.len()
            )?;
            for warning in &document.warnings {
                let line = warning.line.map(|l| format!(":{l}")).unwrap_or_default();
                writeln!(
                    f,
                    "  {}{line}: {}: {}",
                    document.file_name,
                    warning.kind.as_str(),
                    warning.message
                )?;
            }
            if !added.unresolved.is_empty() {
                writeln!(
                    f,
                    "\n  {} unresolved name(s); entries to paste into data/agencies.toml (put the full official name in `name`, keep the printed form in `aliases`):\n",
                    added.unresolved.len()
                )?;
                for (name, jurisdiction) in &added.unresolved {
                    f.write_str(&gazetteer_entry(name, jurisdiction.as_deref()))?;
                    writeln!(f)?;
                }
            }
        }
        writeln!(
            f,
            "{} document(s) added; run `zhengce load` to build the database",
            self.added.len()
        )
    }
}

/// A gazetteer entry for a name as printed, ready to paste into `data/agencies.toml`.
pub fn gazetteer_entry(name: &str, jurisdiction: Option<&str>) -> String {
    let jurisdiction_id = jurisdiction.unwrap_or("FILL-IN-JURISDICTION");
    let id = format!("{jurisdiction_id}-{}", slug(name, 48));
    let quoted = |text: &str| toml::Value::String(text.to_string()).to_string();
    format!(
        "[[agency]]\nid = {}\njurisdiction = {}\nname = {}\naliases = [{}]\nkind = \"government_department\"\nnote = \"added with zhengce add; check the full name and the kind\"\n",
        quoted(&id),
        quoted(jurisdiction_id),
        quoted(name),
        quoted(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gazetteer_entry_parses_as_toml() {
        let entry = gazetteer_entry("区数字办", Some("chongqing-yubei"));
        let value: toml::Value = toml::from_str(&entry).unwrap();
        let agency = &value["agency"][0];
        assert_eq!(agency["name"].as_str(), Some("区数字办"));
        assert_eq!(agency["jurisdiction"].as_str(), Some("chongqing-yubei"));
        assert!(agency["id"]
            .as_str()
            .unwrap()
            .starts_with("chongqing-yubei-qu-shu-zi"));
    }
}
