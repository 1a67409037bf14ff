//! `import survey`, `export survey` and `survey publish`: surveys as reviewable YAML or JSON
//! files, like cycles. Importing creates the survey or replaces its draft; publishing freezes
//! the draft into the next version, the one new answers are checked against.
use super::{
    CLI_ACTOR, SharedStore,
    cycle::{output_format, read_source, write_output},
    user::field_lines,
};
use crate::{
    failure::usage,
    feedback_args::{ExportSurveyArgs, ImportSurveyArgs, PublishSurveyArgs},
};
use touchpoint_core::{
    StoreError,
    audit::Actor,
    cycle_file::Format,
    feedback::{
        SurveyContext, SurveyDocument, SurveyFileError, ValidSurvey,
        records::{Survey, SurveyVersion},
        survey_file,
    },
    store::Store,
};

/// A survey by key; a missing one is a plain error naming the key.
pub async fn find_survey(store: &dyn Store, key: &str) -> anyhow::Result<Survey> {
    store
        .get_survey_by_key(key.trim())
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => anyhow::anyhow!("no survey '{}'", key.trim()),
            e => e.into(),
        })
}

/// The survey's current published version, or an error telling how to publish one.
pub async fn current_version(store: &dyn Store, survey: &Survey) -> anyhow::Result<SurveyVersion> {
    store
        .current_survey_version(survey.id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => anyhow::anyhow!(
                "survey '{}' has no published version yet; publish it with \
                 `touchpoint survey publish {}`",
                survey.key,
                survey.key
            ),
            e => e.into(),
        })
}

/// What a survey's questions may refer to: its service's current cycle and the dimensions.
pub async fn context_for(
    store: &dyn Store,
    service_key: Option<&str>,
) -> anyhow::Result<SurveyContext> {
    let cycle = match service_key {
        None => None,
        Some(key) => {
            let service = match store.get_service_by_key(key).await {
                Ok(s) => s,
                Err(StoreError::NotFound { .. }) => {
                    return Err(usage(format!(
                        "service '{key}' does not exist; import its cycle first"
                    )));
                }
                Err(e) => return Err(e.into()),
            };
            match store.current_cycle(service.id).await {
                Ok(c) => Some(c),
                Err(StoreError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            }
        }
    };
    let dimensions = store.list_dimensions().await?;
    Ok(SurveyContext::new(cycle.as_ref(), &dimensions))
}

/// Parse and validate survey text against the store; errors name the line or field paths.
pub async fn validate_text(
    store: &dyn Store,
    source: &str,
    text: &str,
    format: Format,
) -> anyhow::Result<ValidSurvey> {
    let doc = survey_file::parse(text, format).map_err(|e| file_error(source, e))?;
    let ctx = context_for(store, doc.service.as_deref()).await?;
    doc.validate(&ctx).map_err(|e| file_error(source, e))
}

fn file_error(source: &str, e: SurveyFileError) -> anyhow::Error {
    match e {
        SurveyFileError::Syntax {
            line,
            column,
            message,
        } => usage(format!("{source}:{line}:{column}: {message}")),
        SurveyFileError::Invalid(errors) => usage(field_lines(
            &format!("{source} is not a valid survey"),
            &errors,
        )),
    }
}

/// Create the survey, or replace the draft of the survey with the same key. Returns the survey
/// and whether it was created.
pub async fn save_draft(
    store: &dyn Store,
    actor: &Actor,
    def: &ValidSurvey,
) -> anyhow::Result<(Survey, bool)> {
    match store.get_survey_by_key(&def.key).await {
        Ok(existing) => Ok((
            store.update_survey_draft(actor, existing.id, def).await?,
            false,
        )),
        Err(StoreError::NotFound { .. }) => Ok((store.create_survey(actor, def).await?, true)),
        Err(e) => Err(e.into()),
    }
}

/// Publish the draft; `None` when it is unchanged since the current version.
pub async fn publish(
    store: &dyn Store,
    actor: &Actor,
    survey: &Survey,
) -> anyhow::Result<Option<SurveyVersion>> {
    match store.publish_survey(actor, survey.id).await {
        Ok(v) => Ok(Some(v)),
        Err(StoreError::Conflict { field, .. }) if field == "draft" => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn publish_line(survey: &Survey, published: Option<&SurveyVersion>) -> String {
    match (published, survey.current_version) {
        (Some(v), _) => format!(
            "published survey {} version {} ({} questions)",
            survey.key,
            v.version,
            v.definition.questions.len()
        ),
        (None, Some(n)) => format!(
            "survey {} is unchanged since version {n}; nothing to publish",
            survey.key
        ),
        (None, None) => format!("survey {} has nothing to publish", survey.key),
    }
}

pub async fn import(store: SharedStore, args: ImportSurveyArgs) -> anyhow::Result<()> {
    let (source, text, format) = read_source(&args.file)?;
    let def = validate_text(store.as_ref(), &source, &text, format).await?;
    let actor = Actor::system(CLI_ACTOR);
    let (survey, created) = save_draft(store.as_ref(), &actor, &def).await?;
    let what = if created {
        "created survey"
    } else {
        "replaced the draft of survey"
    };
    println!(
        "{source}: {what} {} (id {}): {} questions",
        survey.key,
        survey.id,
        def.questions.len()
    );
    if args.publish {
        let published = publish(store.as_ref(), &actor, &survey).await?;
        let survey = store.get_survey(survey.id).await?;
        println!("{}", publish_line(&survey, published.as_ref()));
    }
    Ok(())
}

pub async fn publish_command(store: SharedStore, args: PublishSurveyArgs) -> anyhow::Result<()> {
    let survey = find_survey(store.as_ref(), &args.survey).await?;
    let published = publish(store.as_ref(), &Actor::system(CLI_ACTOR), &survey).await?;
    let survey = store.get_survey(survey.id).await?;
    println!("{}", publish_line(&survey, published.as_ref()));
    Ok(())
}

/// The draft by default (its `version:` is the current version when the draft has no
/// unpublished changes), or a frozen version with `--version`.
pub async fn export(store: SharedStore, args: ExportSurveyArgs) -> anyhow::Result<()> {
    let survey = find_survey(store.as_ref(), &args.survey).await?;
    let doc = match args.version {
        Some(n) => {
            let v = store
                .survey_version(survey.id, n)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound { .. } => {
                        anyhow::anyhow!("survey '{}' has no version {n}", survey.key)
                    }
                    e => e.into(),
                })?;
            SurveyDocument::from_survey(&v.definition, Some(v.version))
        }
        None => {
            let version = survey
                .current_version
                .filter(|_| !survey.has_unpublished_changes);
            SurveyDocument::from_survey(&survey.draft, version)
        }
    };
    let format = output_format(args.format, args.output.as_deref());
    write_output(args.output.as_deref(), &doc.to_text(format))
}
