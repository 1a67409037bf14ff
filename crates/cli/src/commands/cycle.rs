//! `import cycle` and `export cycle`: service cycles as reviewable YAML or JSON files.
use super::{CLI_ACTOR, SharedStore, user::field_lines};
use crate::{ExportCycleArgs, failure::usage};
use anyhow::Context;
use std::io::{Read, Write};
use touchpoint_core::{
    StoreError,
    audit::Actor,
    cycle::CycleVersion,
    cycle_file::{self, CycleDocument, CycleFileError, Format, ImportedCycle},
    service::Service,
    store::Store,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Yaml,
    Json,
}

/// A parsed and validated cycle file with the name to use in messages.
pub struct ReadCycle {
    pub source: String,
    pub imported: ImportedCycle,
}

/// Read, parse and validate a cycle file (`-` is YAML on stdin). Writes nothing.
pub fn read(file: &str) -> anyhow::Result<ReadCycle> {
    let (source, text, format) = read_source(file)?;
    let imported = parse_text(&source, &text, format)?;
    Ok(ReadCycle { source, imported })
}

/// The text of a YAML/JSON document file (`-` is YAML on stdin): `(name for messages, text,
/// format from the extension)`.
pub fn read_source(file: &str) -> anyhow::Result<(String, String, Format)> {
    if file == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| usage(format!("cannot read standard input: {e}")))?;
        Ok(("<stdin>".to_string(), text, Format::Yaml))
    } else {
        let text =
            std::fs::read_to_string(file).map_err(|e| usage(format!("cannot read {file}: {e}")))?;
        Ok((file.to_string(), text, Format::from_path(file)))
    }
}

/// Write exported text to `-o FILE` or standard output.
pub fn write_output(output: Option<&std::path::Path>, text: &str) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("cannot write to standard output")
        }
    }
}

/// The format chosen by `--format`, else by the output file's extension, else YAML.
pub fn output_format(flag: Option<OutputFormat>, output: Option<&std::path::Path>) -> Format {
    match (flag, output) {
        (Some(OutputFormat::Json), _) => Format::Json,
        (Some(OutputFormat::Yaml), _) => Format::Yaml,
        (None, Some(path)) => Format::from_path(&path.to_string_lossy()),
        (None, None) => Format::Yaml,
    }
}

/// Parse and validate cycle text; errors name the line or every offending field path.
pub fn parse_text(source: &str, text: &str, format: Format) -> anyhow::Result<ImportedCycle> {
    let checked = cycle_file::parse(text, format).and_then(|doc| doc.validate());
    checked.map_err(|e| match e {
        CycleFileError::Syntax {
            line,
            column,
            message,
        } => usage(format!("{source}:{line}:{column}: {message}")),
        CycleFileError::Invalid(errors) => usage(field_lines(
            &format!("{source} is not a valid service cycle"),
            &errors,
        )),
    })
}

/// What writing an imported cycle did.
pub struct Published {
    pub service: Service,
    pub cycle: CycleVersion,
    pub created: bool,
}

/// Create the service if its key is new (else bring its name and description up to date),
/// then publish the cycle as its next version.
pub async fn publish(
    store: &dyn Store,
    actor: &Actor,
    imported: &ImportedCycle,
) -> anyhow::Result<Published> {
    let fields = &imported.service;
    let (service, created) = match store.get_service_by_key(&fields.key).await {
        Ok(s) if s.name == fields.name && s.description == fields.description => (s, false),
        Ok(s) => (store.update_service(actor, s.id, fields).await?, false),
        Err(StoreError::NotFound { .. }) => (store.create_service(actor, fields).await?, true),
        Err(e) => return Err(e.into()),
    };
    let cycle = store
        .publish_cycle(actor, service.id, &imported.cycle)
        .await
        .with_context(|| format!("cannot publish the cycle of '{}'", fields.key))?;
    Ok(Published {
        service,
        cycle,
        created,
    })
}

pub async fn import(store: SharedStore, read: ReadCycle) -> anyhow::Result<()> {
    let p = publish(store.as_ref(), &Actor::system(CLI_ACTOR), &read.imported).await?;
    let what = if p.created {
        "created service"
    } else {
        "existing service"
    };
    println!(
        "{}: {what} {} (id {}), published cycle version {}: {} moments, {} critical",
        read.source,
        p.service.key,
        p.service.id,
        p.cycle.version,
        p.cycle.moments.len(),
        p.cycle.critical_count()
    );
    Ok(())
}

pub async fn export(store: SharedStore, args: ExportCycleArgs) -> anyhow::Result<()> {
    let service = find_service(store.as_ref(), &args.service).await?;
    let cycle = match args.version {
        Some(v) => store.cycle_version(service.id, v).await,
        None => store.current_cycle(service.id).await,
    };
    let cycle = cycle.map_err(|e| match (e, args.version) {
        (StoreError::NotFound { .. }, Some(v)) => {
            anyhow::anyhow!("service '{}' has no cycle version {v}", service.key)
        }
        (StoreError::NotFound { .. }, None) => {
            anyhow::anyhow!("service '{}' has no published cycle yet", service.key)
        }
        (e, _) => e.into(),
    })?;
    let format = output_format(args.format, args.output.as_deref());
    let text = CycleDocument::from_version(&service, &cycle).to_text(format);
    write_output(args.output.as_deref(), &text)?;
    Ok(())
}

/// A service by key, or by numeric id (keys always start with a letter).
pub async fn find_service(store: &dyn Store, key_or_id: &str) -> anyhow::Result<Service> {
    let found = match key_or_id.trim().parse::<i64>() {
        Ok(id) => store.get_service(id).await,
        Err(_) => store.get_service_by_key(key_or_id.trim()).await,
    };
    found.map_err(|e| match e {
        StoreError::NotFound { .. } => anyhow::anyhow!("no service '{key_or_id}'"),
        e => e.into(),
    })
}
