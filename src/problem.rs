//! A problem found in a moderator's file, reported as `FILE:LINE: message`, and a list of them.

use std::fmt;

/// A problem found in one file, at a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// File path as shown to the moderator.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl Problem {
    /// Makes a problem report.
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        Problem {
            file: file.to_string(),
            line: line.max(1),
            message: message.into(),
        }
    }
}

/// Problems shown one per line, as `faqbot check` prints them.
#[derive(Debug, Clone, Copy)]
pub struct Lines<'a>(pub &'a [Problem]);

impl fmt::Display for Lines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_read_as_file_line_message_one_per_line() {
        let ps = [
            Problem::new("a.md", 0, "bad"),
            Problem::new("b.md", 7, "worse"),
        ];
        assert_eq!(Lines(&ps).to_string(), "a.md:1: bad\nb.md:7: worse");
        assert_eq!(Lines(&[]).to_string(), "");
    }
}
