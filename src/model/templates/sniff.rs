//! Telling a CloudFormation template from any other YAML or JSON file, from its text or
//! (for a file too large or not UTF-8) its first bytes.

/// Text that marks a file as a CloudFormation template.
const TEMPLATE_MARKERS: [&str; 3] = [
    "AWSTemplateFormatVersion",
    "AWS::Serverless",
    "AWS::Lambda::Function",
];

/// The text of a file's first bytes, UTF-16 (with or without a byte-order mark) decoded as
/// such, and whether it was UTF-16.
pub(super) fn decode_head(head: &[u8]) -> (String, bool) {
    let little = match head {
        [0xFF, 0xFE, ..] => Some(true),
        [0xFE, 0xFF, ..] => Some(false),
        [a, 0, ..] if *a != 0 => Some(true),
        [0, b, ..] if *b != 0 => Some(false),
        _ => None,
    };
    let Some(little) = little else {
        return (String::from_utf8_lossy(head).into_owned(), false);
    };
    let units: Vec<u16> = head
        .chunks_exact(2)
        .map(|pair| {
            let pair = [pair[0], pair[1]];
            if little {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        })
        .collect();
    (String::from_utf16_lossy(&units), true)
}

/// Whether `text` declares CloudFormation.
pub fn declares_cloudformation(text: &str) -> bool {
    TEMPLATE_MARKERS.iter().any(|marker| text.contains(marker))
}
