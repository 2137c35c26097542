//! Decoding raw document bytes: UTF-8 (with or without BOM), or a legacy Chinese encoding
//! (GB18030, a superset of GBK and GB2312) when the bytes are not UTF-8.
//!
//! Text is never loaded as mojibake: bytes that are neither valid UTF-8 nor clean GB18030
//! Chinese text are refused with a reason.

/// Bytes decoded to text, with the encoding they were read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text (a leading BOM removed).
    pub text: String,
    /// `UTF-8` or `GB18030`.
    pub encoding: &'static str,
}

/// Decodes a document's bytes, or explains why they cannot be read as Chinese text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(without_bom) {
        Ok(text) => {
            if let Some(position) = text.find('\0') {
                return Err(format!(
                    "the file holds a NUL character at byte {position}: not a text document"
                ));
            }
            Ok(Decoded {
                text: text.to_string(),
                encoding: "UTF-8",
            })
        }
        Err(utf8_error) => decode_legacy(without_bom).map_err(|legacy_reason| {
            format!(
                "not valid UTF-8 (first bad byte at offset {}) and not GB18030 text either: {legacy_reason}",
                utf8_error.valid_up_to()
            )
        }),
    }
}

/// Tries GB18030 and accepts it only when the result is clearly Chinese text.
fn decode_legacy(bytes: &[u8]) -> Result<Decoded, String> {
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err("it has byte sequences that are invalid in GB18030".into());
    }
    if text.contains('\0') {
        return Err("it holds NUL characters".into());
    }
    let significant: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let han = significant.iter().filter(|c| is_han(**c)).count();
    // Mojibake from decoding random bytes gives rare ideographs mixed with symbols and
    // control characters; real Chinese prose is mostly common Han characters.
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    if significant.is_empty() || han * 2 < significant.len() || controls > 0 {
        return Err("the decoded text does not look like Chinese prose".into());
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: "GB18030",
    })
}

/// Whether a character is a CJK unified ideograph (Han character).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0xF900..=0xFAFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_is_read_and_bom_dropped() {
        let decoded = decode("\u{feff}一、总体要求".as_bytes()).unwrap();
        assert_eq!(decoded.text, "一、总体要求");
        assert_eq!(decoded.encoding, "UTF-8");
    }

    #[test]
    fn gb18030_text_is_detected_and_decoded() {
        let (bytes, _, _) = encoding_rs::GB18030
            .encode("一、总体要求\n（一）指导思想。以习近平新时代中国特色社会主义思想为指导。");
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.encoding, "GB18030");
        assert!(decoded.text.starts_with("一、总体要求"));
    }

    #[test]
    fn random_binary_is_refused_with_a_reason() {
        let bytes: Vec<u8> = (0..200u32).map(|i| (i * 37 % 256) as u8).collect();
        let error = decode(&bytes).unwrap_err();
        assert!(error.contains("not valid UTF-8"), "{error}");
    }

    #[test]
    fn nul_bytes_are_refused() {
        assert!(decode(b"abc\0def").is_err());
    }
}
