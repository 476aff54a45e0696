//! Errors and diagnostics. Library errors are typed (`thiserror`); the
//! binary wraps them with `anyhow`. A [`Diagnostic`] is one problem in a
//! user-editable file, printed as `path:line: severity: message`.

use std::fmt;

/// How bad a problem in a data file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth fixing; the run goes on.
    Warning,
    /// The file is wrong; `extract` refuses to start.
    Error,
}

/// One problem found in a gazetteer or lexicon file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: &str, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_string(),
            line,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(path: &str, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_string(),
            line,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{}:{}: {}: {}", self.path, self.line, sev, self.message)
    }
}

/// Errors the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("the gazetteers have {} error(s); run `gazette check` to list them", .0.iter().filter(|d| d.is_error()).count())]
    Gazetteer(Vec<Diagnostic>),
    #[error("{path}:{line}: {message}")]
    Input { path: String, line: usize, message: String },
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

impl Error {
    pub fn io(path: impl fmt::Display, source: std::io::Error) -> Self {
        Error::Io { path: path.to_string(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
