//! Seeded generator of SAM templates, valid and not: flow collections spread over lines
//! with closers at every indentation, tabs, a byte order mark, CRLF, directives, more
//! than one document, anchors, aliases and merge keys, every CloudFormation short tag
//! and tags no loader knows, scalars PyYAML types (dates, ints, `=`), then a random
//! edit or two.

/// xorshift64*: deterministic and dependency-free.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

pub const INTRINSICS: [&str; 18] = [
    "!Ref",
    "!Sub",
    "!GetAtt",
    "!Join",
    "!Select",
    "!Split",
    "!FindInMap",
    "!GetAZs",
    "!ImportValue",
    "!Base64",
    "!Cidr",
    "!Condition",
    "!And",
    "!Or",
    "!Not",
    "!Equals",
    "!If",
    "!Transform",
];

const OTHER_TAGS: [&str; 17] = [
    "!Rain::Embed",
    "!Foo",
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!binary",
    "!!timestamp",
    "!!null",
    "!!set",
    "!!omap",
    "!!python/tuple",
    "!<tag:yaml.org,2002:str>",
    "!",
    "!e!x",
    "!!merge",
    "!!seq",
];

const SCALARS: [&str; 22] = [
    "app.handler",
    "python3.12",
    "hello world",
    "'quoted: yes'",
    "\"double \\\" q\"",
    "2012-10-17",
    "2001-12-14t21:59:43.10-05:00",
    "0b101",
    "0x1F",
    "._",
    "1_000",
    "1:30",
    "1.5e+3",
    "+.inf",
    ".NaN",
    "0o17",
    "08",
    "yes",
    "No",
    "~",
    "a:b",
    "x # comment",
];

/// Scalars PyYAML's scanner or constructor refuses, or that only look risky.
const ODD_SCALARS: [&str; 18] = [
    "=",
    "2001-13-45",
    "2000-02-30",
    "2001-12-14 21:59:43.10 -25:00",
    "0b_",
    "0x_",
    "null",
    "<<",
    "''",
    "\"\"",
    "'it''s'",
    "\"\\x41\"",
    "\"\\q\"",
    "@at",
    "`tick",
    "%pct",
    "-",
    "a - b",
];

const TAG_VALUES: [&str; 12] = [
    "x",
    "12",
    "aGVsbG8=",
    "xx",
    "2001-12-14",
    "yes",
    "maybe",
    "1.5",
    "Fn.Arn",
    "''",
    "[a, b]",
    "{k: v}",
];

/// One template.
pub fn template(rng: &mut Rng) -> String {
    let mut g = Gen {
        rng,
        anchors: Vec::new(),
        mapping_anchors: Vec::new(),
        out: String::new(),
    };
    g.document();
    let mut text = std::mem::take(&mut g.out);
    let edits = [0, 0, 0, 0, 1, 1, 1, 2][g.rng.below(8)];
    for _ in 0..edits {
        text = edit(g.rng, &text);
    }
    if !text.contains("AWS::Serverless") {
        // Only text that declares CloudFormation is read as a template.
        text.push_str("# AWS::Serverless::Function\n");
    }
    match g.rng.below(10) {
        // The last line without a line break, in a block scalar or a plain entry.
        0 => text.push_str("Description: |\n  the last line, without a break"),
        1 => text.push_str("Description: >-\n  folded\n\n  last"),
        2 => {
            let trimmed = text.trim_end_matches('\n').len();
            text.truncate(trimmed);
        }
        _ => {}
    }
    if g.rng.chance(15) {
        text = text.replace('\n', "\r\n");
    }
    if g.rng.chance(8) {
        text.insert(0, '\u{feff}');
    }
    text
}

struct Gen<'r> {
    rng: &'r mut Rng,
    anchors: Vec<String>,
    mapping_anchors: Vec<String>,
    out: String,
}

impl Gen<'_> {
    fn line(&mut self, indent: usize, text: &str) {
        self.out.push_str(&" ".repeat(indent));
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn document(&mut self) {
        let prefix = self.rng.pick(&[
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "---\n",
            "--- # start\n",
            "%YAML 1.1\n---\n",
            "%YAML 1.2\n---\n",
            "%YAML 1.3\n---\n",
            "%YAML 2.0\n---\n",
            "%TAG !e! tag:example.com,2000:\n---\n",
        ]);
        self.out.push_str(prefix);
        let version = self
            .rng
            .pick(&["'2010-09-09'", "2010-09-09", "\"2010-09-09\""]);
        self.line(0, &format!("AWSTemplateFormatVersion: {version}"));
        self.line(0, "Transform: AWS::Serverless-2016-10-31");
        if self.rng.chance(40) {
            self.line(0, "Defaults: &defaults");
            self.line(2, "Runtime: python3.12");
            self.line(2, "Timeout: 3");
            self.mapping_anchors.push("defaults".into());
        }
        self.line(0, "Resources:");
        for i in 0..1 + self.rng.below(3) {
            self.function(i);
        }
        let suffix = self.rng.pick(&[
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "...\n",
            "...\n# end\n",
            "---\nOther: 1\n",
            "---\n",
            "\n\n",
            "--- |\n  text\n",
        ]);
        self.out.push_str(suffix);
    }

    fn function(&mut self, i: usize) {
        self.line(2, &format!("Fn{i}:"));
        self.line(4, "Type: AWS::Serverless::Function");
        self.line(4, "Properties:");
        if self.rng.chance(20) {
            let merge = self.merge_value();
            self.line(6, &format!("<<: {merge}"));
        }
        self.line(6, "CodeUri: src/");
        self.line(6, "Handler: app.handler");
        for k in 0..self.rng.below(5) {
            let key = self.key(k);
            self.entry(6, &key, 0);
        }
    }

    fn merge_value(&mut self) -> String {
        let good = self.mapping_anchors.first().cloned();
        match (self.rng.below(6), good) {
            (0..=2, Some(name)) => format!("*{name}"),
            (3, Some(name)) => format!("[*{name}, {{Extra: 1}}]"),
            (4, _) => self.rng.pick(&["1", "[1]", "x", "[{a: 1}, b]"]).to_string(),
            _ => "{MemorySize: 128}".into(),
        }
    }

    fn key(&mut self, k: usize) -> String {
        match self.rng.below(60) {
            0 => "? [a, b]".into(),
            1 => "[k]".into(),
            2 => "!Ref Key".into(),
            3 => "\"quoted key\"".into(),
            4 => "=".into(),
            5 => "{a: 1}".into(),
            6 => "2001-13-45".into(),
            _ => format!("Prop{k}"),
        }
    }

    /// `key: value` at `indent`, the value possibly spread over lines.
    fn entry(&mut self, indent: usize, key: &str, depth: usize) {
        if key.starts_with('?') {
            self.line(indent, key);
            let value = self.scalar();
            self.line(indent, &format!(": {value}"));
            return;
        }
        let anchor = if self.rng.chance(12) {
            let name = format!("a{}", self.rng.below(6));
            self.anchors.push(name.clone());
            format!("&{name} ")
        } else {
            String::new()
        };
        let kind = if depth > 2 {
            self.rng.below(3)
        } else {
            self.rng.below(12)
        };
        match kind {
            0 => {
                let value = self.scalar();
                self.line(indent, &format!("{key}: {anchor}{value}"));
            }
            1 => {
                let tag = self.tag();
                let value = if tag.starts_with("!!") || !tag.starts_with('!') || tag.contains(':') {
                    self.rng.pick(&TAG_VALUES)
                } else {
                    self.rng.pick(&["x", "Fn.Arn", "[a, b]", "{k: v}", "''"])
                };
                self.line(indent, &format!("{key}: {anchor}{tag} {value}"));
            }
            2 => {
                let alias = match self.rng.below(20) {
                    0 => "*undefined".to_string(),
                    _ if !self.anchors.is_empty() => {
                        let i = self.rng.below(self.anchors.len());
                        format!("*{}", self.anchors[i])
                    }
                    _ => "plain".to_string(),
                };
                self.line(indent, &format!("{key}: {alias}"));
            }
            3 | 4 => {
                let sequence = self.rng.chance(60);
                self.flow(indent, key, &anchor, sequence);
            }
            5 => {
                self.line(indent, &format!("{key}: {anchor}"));
                let inner = if self.rng.chance(30) {
                    indent
                } else {
                    indent + 2
                };
                for _ in 0..1 + self.rng.below(3) {
                    let value = self.scalar();
                    self.line(inner, &format!("- {value}"));
                }
            }
            6 | 7 => {
                let tag = if self.rng.chance(40) {
                    format!("{} ", self.tag())
                } else {
                    String::new()
                };
                self.line(indent, &format!("{key}: {anchor}{tag}"));
                for k in 0..1 + self.rng.below(3) {
                    let sub = self.key(k + 10);
                    self.entry(indent + 2, &sub, depth + 1);
                }
            }
            8 => {
                let style = self.rng.pick(&["|", ">", "|-", ">+", "|2"]);
                self.line(indent, &format!("{key}: {anchor}{style}"));
                self.line(indent + 2, "line one");
                self.line(indent + 2, "line two: with colon");
            }
            9 => {
                let tag = self.rng.pick(&INTRINSICS);
                let items =
                    self.rng
                        .pick(&["[Cond, a, b]", "['', [a, b]]", "[a, !Ref b]", "{k: v}"]);
                self.line(indent, &format!("{key}: {anchor}{tag} {items}"));
            }
            _ => {
                let tag = self.rng.pick(&INTRINSICS);
                let value = self
                    .rng
                    .pick(&["Fn.Arn", "'${AWS::Region}'", "x", "\"a:b\""]);
                self.line(indent, &format!("{key}: {anchor}{tag} {value}"));
            }
        }
    }

    fn tag(&mut self) -> String {
        if self.rng.chance(80) {
            self.rng.pick(&INTRINSICS).to_string()
        } else {
            self.rng.pick(&OTHER_TAGS).to_string()
        }
    }

    fn scalar(&mut self) -> String {
        if self.rng.chance(12) {
            return self.rng.pick(&ODD_SCALARS).to_string();
        }
        self.rng.pick(&SCALARS).to_string()
    }

    /// A flow sequence or mapping; multi-line ones close at a random indentation.
    fn flow(&mut self, indent: usize, key: &str, anchor: &str, sequence: bool) {
        let (open, close) = if sequence { ("[", "]") } else { ("{", "}") };
        let count = 1 + self.rng.below(3);
        let items: Vec<String> = (0..count)
            .map(|i| {
                let value = if self.rng.chance(20) {
                    format!("{} x", self.rng.pick(&INTRINSICS))
                } else {
                    format!("\"s3:Get{i}\"")
                };
                if sequence {
                    value
                } else {
                    format!("k{i}: {value}")
                }
            })
            .collect();
        if self.rng.chance(30) {
            self.line(
                indent,
                &format!("{key}: {anchor}{open}{}{close}", items.join(", ")),
            );
            return;
        }
        self.line(indent, &format!("{key}: {anchor}{open}"));
        let inner = [indent + 2, indent + 4, indent, 0][self.rng.below(4)];
        let last = items.len() - 1;
        for (i, item) in items.iter().enumerate() {
            let comma = if i < last || self.rng.chance(20) {
                ","
            } else {
                ""
            };
            self.line(inner, &format!("{item}{comma}"));
        }
        let closer = [indent, indent, indent + 2, indent.saturating_sub(2), 0][self.rng.below(5)];
        self.line(closer, close);
    }
}

/// A random edit: a tab, a deleted or inserted character, a line repeated or re-indented.
fn edit(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return text.to_string();
    }
    let at = rng.below(chars.len());
    match rng.below(7) {
        0 => {
            // A tab after a `: `, at a line start, or at a line end.
            match rng.below(3) {
                0 => {
                    return text.replacen(": ", ":\t", 1 + rng.below(3)).replacen(
                        ":\t",
                        ": ",
                        rng.below(2),
                    );
                }
                1 => chars.insert(at, '\t'),
                _ => {
                    let end = chars[at..]
                        .iter()
                        .position(|&c| c == '\n')
                        .map_or(chars.len(), |p| at + p);
                    chars.insert(end, '\t');
                }
            }
        }
        1 => {
            chars.remove(at);
        }
        2 => {
            let c = rng.pick(&[
                "[", "]", "{", "}", ":", ",", "-", "?", "'", "\"", "#", "&", "*", "!", "|", ">",
                "%", "@", " ", "\n", "`",
            ]);
            chars.insert(at, c.chars().next().unwrap_or(' '));
        }
        3 | 4 => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let i = rng.below(lines.len());
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            if rng.chance(50) {
                out.insert(i, lines[i].to_string());
            } else {
                out[i] = format!("{}{}", " ".repeat(1 + rng.below(2)), lines[i]);
            }
            return out.concat();
        }
        _ => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let i = rng.below(lines.len());
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            out[i] = out[i].trim_start_matches(' ').to_string();
            return out.concat();
        }
    }
    chars.into_iter().collect()
}
