//! `export responses`: every response of a survey in the wide format, read in keyset pages so
//! memory stays flat. The header is that of the current version; importing the file again
//! creates nothing new (`response_id` is the external id, or `touchpoint-ID` for responses
//! answered on the page or through the API).
use super::{NATIVE_ID_PREFIX, refs::Refs};
use crate::{
    commands::{
        SharedStore,
        survey::{current_version, find_survey},
    },
    feedback_args::ExportResponsesArgs,
};
use anyhow::Context;
use std::io::{BufWriter, Write};
use touchpoint_core::feedback::{
    ParsedRow, ValidSurvey, WideHeader,
    answer::{ValidAnswer, ValidAnswers},
    records::ResponseRecord,
};

/// Responses read per page.
const PAGE: u32 = 1_000;

pub async fn export(store: SharedStore, args: ExportResponsesArgs) -> anyhow::Result<()> {
    let survey = find_survey(store.as_ref(), &args.survey).await?;
    let version = current_version(store.as_ref(), &survey).await?;
    let refs = Refs::load(store.as_ref()).await?;
    let header = WideHeader::for_survey(&version.definition);
    let sink: Box<dyn Write + Send> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout()),
    };
    let mut out = csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, sink));
    out.write_record(header.column_names())?;
    let (mut after, mut count, mut dropped) = (0, 0u64, 0u64);
    loop {
        let page = store.responses_after(survey.id, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for r in &page {
            let (row, lost) = to_row(r, &version.definition, &refs);
            dropped += lost;
            out.write_record(header.format_row(&row))?;
            count += 1;
        }
    }
    out.flush().context("cannot write the export")?;
    eprintln!(
        "exported {count} responses of survey {} (columns of version {})",
        survey.key, version.version
    );
    if dropped > 0 {
        eprintln!(
            "note: {dropped} answers to questions no longer in version {} were left out",
            version.version
        );
    }
    Ok(())
}

/// A stored response as a row of `survey`'s layout, and how many of its answers have no
/// column there (questions removed in a later version).
pub fn to_row(r: &ResponseRecord, survey: &ValidSurvey, refs: &Refs) -> (ParsedRow, u64) {
    let mut lost = 0;
    let mut answers: Vec<ValidAnswer> = r
        .answers
        .iter()
        .filter_map(|a| match survey.question(&a.question_code) {
            Some((question, q)) if q.kind == a.kind => Some(ValidAnswer {
                question,
                value: a.value.clone(),
            }),
            _ => {
                lost += 1;
                None
            }
        })
        .collect();
    answers.sort_by_key(|a| a.question);
    let row = ParsedRow {
        line: 0,
        response_id: r
            .external_id
            .clone()
            .unwrap_or_else(|| format!("{NATIVE_ID_PREFIX}{}", r.id)),
        submitted_at: r.submitted_at,
        customer: r.customer.clone(),
        site: r
            .site_id
            .map(|id| refs.site_key(id).map_or(id.to_string(), str::to_string)),
        staff: r
            .staff_id
            .map(|id| refs.staff_ref(id).map_or(id.to_string(), str::to_string)),
        language: Some(r.language.clone()),
        answers: ValidAnswers(answers),
    };
    (row, lost)
}
