//! The streaming pass over a wide CSV file: one reused record buffer, rows checked one by one
//! and handed on in chunks of at most `batch` responses, so memory stays flat for any file size.
//! Runs on a blocking thread; the chunks go through a small bounded channel, so reading the
//! next chunk overlaps with writing the previous one.
use super::refs::{RefColumns, Refs};
use crate::{failure::usage, progress::Progress};
use std::{fs::File, io::BufReader, path::Path, sync::Arc};
use tokio::sync::mpsc;
use touchpoint_core::feedback::{
    CellError, WideHeader,
    records::{NewResponse, ResponseSource, SurveyVersion},
};

/// Size of the read buffer.
const READ_BUFFER: usize = 1 << 20;
/// A chunk is handed on early once it holds this many bad-row errors.
const MAX_CHUNK_ERRORS: usize = 1_000;

/// Rows checked since the previous chunk.
#[derive(Debug, Default)]
pub struct Chunk {
    /// Good rows, ready to write (empty when only validating).
    pub responses: Vec<NewResponse>,
    /// File line of each response.
    pub lines: Vec<u64>,
    /// Problems of the bad rows, in line order.
    pub errors: Vec<CellError>,
    pub rows: u64,
    pub good: u64,
    pub bad: u64,
}

/// An opened file whose header fits the survey version.
pub struct RowReader {
    csv: csv::Reader<BufReader<File>>,
    header: WideHeader,
    columns: RefColumns,
    version: Arc<SurveyVersion>,
    refs: Arc<Refs>,
    /// Build responses (false: only validate).
    pub build: bool,
    pub batch: usize,
}

impl RowReader {
    /// Open `path` and check its header (line 1); a bad header is a usage error listing every
    /// bad column.
    pub fn open(
        path: &Path,
        version: Arc<SurveyVersion>,
        refs: Arc<Refs>,
        batch: usize,
    ) -> anyhow::Result<RowReader> {
        let shown = path.display();
        let file = File::open(path).map_err(|e| usage(format!("cannot read {shown}: {e}")))?;
        let mut csv = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(BufReader::with_capacity(READ_BUFFER, file));
        let names: Vec<String> = csv
            .headers()
            .map_err(|e| usage(format!("{shown}: cannot read the header line: {e}")))?
            .iter()
            .map(str::to_string)
            .collect();
        let header = WideHeader::parse(&names, &version.definition).map_err(|errors| {
            let mut msg = format!(
                "{shown}: the header does not fit survey '{}' version {}:",
                version.definition.key, version.version
            );
            for e in &errors {
                msg.push_str(&format!("\n  {e}"));
            }
            usage(msg)
        })?;
        Ok(RowReader {
            csv,
            columns: RefColumns::of(&header),
            header,
            version,
            refs,
            build: true,
            batch,
        })
    }

    /// Read to the end, sending chunks; stops early if the receiver is gone. An I/O error
    /// ends the pass with an `Err` chunk.
    pub fn run(mut self, tx: mpsc::Sender<anyhow::Result<Chunk>>, progress: Arc<Progress>) {
        let mut record = csv::StringRecord::new();
        let mut chunk = Chunk::default();
        let mut rows = 0u64;
        loop {
            match self.csv.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    rows += 1;
                    let line = record.position().map_or(rows + 1, |p| p.line());
                    self.row(line, &record, &mut chunk);
                    progress.update(rows, record.position().map_or(0, |p| p.byte()));
                }
                Err(e) if e.is_io_error() => {
                    let _ = tx.blocking_send(Err(anyhow::anyhow!("cannot read the file: {e}")));
                    return;
                }
                Err(e) => {
                    rows += 1;
                    let line = e.position().map_or(rows + 1, |p| p.line());
                    chunk.rows += 1;
                    chunk.bad += 1;
                    chunk.errors.push(CellError {
                        line,
                        column: 0,
                        column_name: String::new(),
                        reason: format!("unreadable row: {}", csv_reason(&e)),
                    });
                }
            }
            let full = chunk.good as usize >= self.batch || chunk.errors.len() >= MAX_CHUNK_ERRORS;
            if full && tx.blocking_send(Ok(std::mem::take(&mut chunk))).is_err() {
                return;
            }
        }
        if chunk.rows > 0 {
            let _ = tx.blocking_send(Ok(chunk));
        }
    }

    fn row(&self, line: u64, record: &csv::StringRecord, chunk: &mut Chunk) {
        chunk.rows += 1;
        let cells: Vec<&str> = record.iter().collect();
        let parsed = self.header.parse_row(line, &cells).and_then(|row| {
            let (site_id, staff_id) = self.columns.resolve(
                &self.refs,
                line,
                row.site.as_deref(),
                row.staff.as_deref(),
            )?;
            Ok((row, site_id, staff_id))
        });
        match parsed {
            Err(errors) => {
                chunk.bad += 1;
                chunk.errors.extend(errors);
            }
            Ok((row, site_id, staff_id)) => {
                chunk.good += 1;
                if !self.build {
                    return;
                }
                let v = &self.version;
                let language = row
                    .language
                    .clone()
                    .unwrap_or_else(|| v.definition.language_for("").to_string());
                chunk.responses.push(NewResponse {
                    survey_id: v.survey_id,
                    survey_version_id: v.id,
                    source: ResponseSource::Import,
                    answers: v.stored_answers(&row.answers),
                    external_id: Some(row.response_id),
                    idempotency_key: None,
                    link_id: None,
                    submitted_at: row.submitted_at,
                    customer: row.customer,
                    site_id,
                    staff_id,
                    language,
                });
                chunk.lines.push(line);
            }
        }
    }
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the text is not valid UTF-8".into(),
        _ => e.to_string(),
    }
}
