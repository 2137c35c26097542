//! The stamps of a load: the dataset version, hashed from the corpus, and the load time.

use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use serde::Serialize;

use crate::corpus::{
    Agency, CitedDocument, Corpus, CorpusWarning, CrossReference, Jurisdiction, ParsedDocument,
    Theme,
};
use crate::db::DbError;

/// Number of hex digits of the corpus hash kept as the dataset version.
const VERSION_HEX_DIGITS: usize = 16;

/// The dataset version: the first 16 hex digits of SHA-256 over each document's digest, in
/// corpus order, followed by the rest of the corpus serialized as JSON (see
/// [`VersionHasher`]).
pub fn corpus_version(corpus: &Corpus) -> Result<String, DbError> {
    let mut hasher = VersionHasher::default();
    hasher.add_digests(&document_digests(&corpus.documents)?);
    hasher.finish(corpus)
}

/// The dataset version, hashed document by document as a load writes them.
///
/// Each document counts through its digest: SHA-256 over the document serialized as JSON
/// and its raw bytes ([`document_digests`]), so that the digests can
/// be taken side by side with the writing. [`VersionHasher::finish`] adds what is not a
/// document: the jurisdictions, agencies, themes, cited documents, cross-references and
/// warnings.
#[derive(Default)]
pub(super) struct VersionHasher {
    hasher: Sha256,
}

impl VersionHasher {
    /// Adds the digests of the next documents, in corpus order.
    pub(super) fn add_digests(&mut self, digests: &[[u8; 32]]) {
        for digest in digests {
            self.hasher.update(digest);
        }
    }

    /// Adds the rest of `corpus` (not its documents) and returns the version.
    pub(super) fn finish(mut self, corpus: &Corpus) -> Result<String, DbError> {
        let rest = CorpusWithoutDocuments {
            jurisdictions: &corpus.jurisdictions,
            agencies: &corpus.agencies,
            themes: &corpus.themes,
            cited_documents: &corpus.cited_documents,
            references: &corpus.references,
            warnings: &corpus.warnings,
        };
        serde_json::to_writer(&mut self.hasher, &rest)?;
        let mut version = hex::encode(self.hasher.finalize());
        version.truncate(VERSION_HEX_DIGITS);
        Ok(version)
    }
}

/// The digest of each document: SHA-256 over its JSON followed by its raw bytes (the JSON
/// ends where its outermost object closes, so the two cannot run into each other).
pub(super) fn document_digests(documents: &[ParsedDocument]) -> Result<Vec<[u8; 32]>, DbError> {
    documents
        .iter()
        .map(|document| {
            let mut hasher = Sha256::new();
            serde_json::to_writer(&mut hasher, document)?;
            hasher.update(&document.raw);
            Ok(hasher.finalize().into())
        })
        .collect()
}

/// What the version hashes of a corpus besides its documents.
#[derive(Serialize)]
struct CorpusWithoutDocuments<'a> {
    jurisdictions: &'a [Jurisdiction],
    agencies: &'a [Agency],
    themes: &'a [Theme],
    cited_documents: &'a [CitedDocument],
    references: &'a [CrossReference],
    warnings: &'a [CorpusWarning],
}

/// Formats a time as RFC 3339 UTC with whole seconds: `2026-11-25T08:30:00Z`.
pub(super) fn rfc3339_utc(time: SystemTime) -> String {
    // A clock set before 1970 is reported as the epoch rather than failing the load.
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0);
    let days = (seconds / 86_400) as i64;
    let second_of_day = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn formats_rfc3339_utc() {
        assert_eq!(rfc3339_utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap_day = UNIX_EPOCH + Duration::from_secs(1_709_210_096);
        assert_eq!(rfc3339_utc(leap_day), "2024-02-29T12:34:56Z");
        let millennium = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(rfc3339_utc(millennium), "2000-02-29T00:00:00Z");
        let new_year = UNIX_EPOCH + Duration::from_secs(1_798_761_599);
        assert_eq!(rfc3339_utc(new_year), "2026-12-31T23:59:59Z");
    }
}
