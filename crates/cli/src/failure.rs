//! How the command fails: a message for people and an exit code for scripts.
//!
//! Exit codes: 0 success, 1 runtime error (database down, conflict, I/O), 2 usage or
//! validation error (bad flag, bad config file, invalid cycle file, weak password, a CSV
//! header that does not fit the survey), 3 some rows of an import were rejected (the report
//! lists them; the good rows were kept unless `--all-or-nothing` or `--dry-run`).
use std::fmt;

/// The input was wrong; the user can fix it and try again. Exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Shorthand for an `anyhow::Error` that exits with code 2.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(message.into()))
}

/// Some rows of an import were bad; the report has already been printed. Exit code 3.
#[derive(Debug)]
pub struct RowsRejected(pub String);

impl fmt::Display for RowsRejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RowsRejected {}

/// Shorthand for an `anyhow::Error` that exits with code 3.
pub fn rejected(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(RowsRejected(message.into()))
}

pub const EXIT_RUNTIME: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_REJECTED: u8 = 3;

/// The exit code an error maps to.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    if e.chain().any(|c| c.is::<UsageError>()) {
        EXIT_USAGE
    } else if e.chain().any(|c| c.is::<RowsRejected>()) {
        EXIT_REJECTED
    } else {
        EXIT_RUNTIME
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn usage_errors_exit_2_even_with_context() {
        let e = Err::<(), _>(usage("bad flag"))
            .context("reading config")
            .unwrap_err();
        assert_eq!(exit_code(&e), EXIT_USAGE);
        assert_eq!(exit_code(&anyhow::anyhow!("disk full")), EXIT_RUNTIME);
        assert_eq!(format!("{e:#}"), "reading config: bad flag");
        assert_eq!(exit_code(&rejected("2 rows were rejected")), EXIT_REJECTED);
    }
}
