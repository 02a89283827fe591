//! Exports: who may download what, and starting the stream. The CSV itself is shaped in
//! [`layout`] (wide, long, codebook) and [`aggregates`]; the rows come from [`crate::db::scan`].

pub mod aggregates;
pub mod layout;
pub mod syntax;

use crate::csv_out::Dialect;
use crate::exports::layout::{file_name, ExportKind, LongSink, WideSink};
use crate::staff::Staff;
use crate::Store;
use domain::filter::{last_value, ResponseFilter};
use domain::staff::{ExportPage, Principal};
use domain::validation::FieldError;
use domain::AppError;
use tokio::sync::mpsc;

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub questionnaire_id: i64,
    pub kind: ExportKind,
    pub dialect: Dialect,
    pub filter: ResponseFilter,
    /// Organisation names and contact addresses, only when asked for explicitly.
    pub with_contacts: bool,
    /// The themes the aggregates cover; `None` for all.
    pub themes: Option<Vec<String>>,
}

/// A running export: its file name and its bytes as they are produced. An error after the
/// first chunk arrives as an `Err` item, so that the download is broken off, not cut silently.
pub struct ExportDownload {
    pub file_name: String,
    pub chunks: mpsc::Receiver<Result<Vec<u8>, AppError>>,
}

/// Chunks in flight between the database and the network: bounds memory whatever the size.
const CHUNKS_IN_FLIGHT: usize = 8;

/// Starts an export with the authority of the machine (the command line).
pub async fn start_export(
    store: &Store,
    request: ExportRequest,
    min_group: u64,
) -> Result<ExportDownload, AppError> {
    let stored = store.current_questionnaire(request.questionnaire_id).await?;
    let q = &stored.questionnaire;
    let (sender, chunks) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let file_name = file_name(request.kind, &q.slug, request.dialect);
    match request.kind {
        ExportKind::Codebook => {
            let mut out = crate::csv_out::CsvOut::new(request.dialect);
            crate::exports::layout::WideLayout::new(q, request.with_contacts).write_codebook(
                &mut out,
                q,
                request.themes.as_deref(),
            )?;
            let _ = sender.send(Ok(out.take()?)).await;
        }
        ExportKind::Spss | ExportKind::R => {
            let layout = crate::exports::layout::WideLayout::new(q, request.with_contacts);
            let text = if request.kind == ExportKind::Spss {
                crate::exports::syntax::spss_syntax(&layout, q, request.dialect)
            } else {
                crate::exports::syntax::r_script(&layout, q, request.dialect)
            };
            let _ = sender.send(Ok(text.into_bytes())).await;
        }
        ExportKind::Wide | ExportKind::Long | ExportKind::Aggregates => {
            let store = store.clone();
            let stored = stored.clone();
            tokio::spawn(async move {
                let result = if request.kind == ExportKind::Aggregates {
                    crate::exports::aggregates::stream_aggregates(
                        &store, &stored, &request, min_group, &sender,
                    )
                    .await
                } else if request.kind == ExportKind::Wide {
                    match WideSink::new(&stored, request.with_contacts, request.dialect) {
                        Ok(sink) => store
                            .stream_responses(
                                &stored,
                                &request.filter,
                                request.with_contacts,
                                sink,
                                sender.clone(),
                            )
                            .await
                            .map_err(AppError::from),
                        Err(e) => Err(e),
                    }
                } else {
                    match LongSink::new(&stored, request.dialect) {
                        Ok(sink) => store
                            .stream_responses(&stored, &request.filter, false, sink, sender.clone())
                            .await
                            .map_err(AppError::from),
                        Err(e) => Err(e),
                    }
                };
                if let Err(e) = result {
                    tracing::error!(error = %e, "export broken off");
                    let _ = sender.send(Err(e)).await;
                }
            });
        }
    }
    Ok(ExportDownload { file_name, chunks })
}

/// Reads an export request from the download form's query. Problems are reported per field,
/// with the ids of the export page's inputs.
pub fn export_request_from_query(
    pairs: &[(String, String)],
) -> Result<ExportRequest, Vec<FieldError>> {
    let value = |name: &str| last_value(pairs, name);
    let mut errors = Vec::new();
    let questionnaire_id = value("fragebogen").and_then(|v| v.parse::<i64>().ok());
    if questionnaire_id.is_none() {
        errors.push(FieldError::new("f-fragebogen", "Bitte wählen Sie einen Fragebogen."));
    }
    let kind = match value("datei") {
        Some(v) => ExportKind::parse(v),
        None => Some(ExportKind::Wide),
    };
    if kind.is_none() {
        errors.push(FieldError::new("f-datei", "Bitte wählen Sie eine der angebotenen Dateien."));
    }
    let dialect = match value("dialekt") {
        Some(v) => Dialect::parse(v),
        None => Some(Dialect::Excel),
    };
    if dialect.is_none() {
        errors.push(FieldError::new(
            "f-dialekt",
            "Bitte wählen Sie „Excel (Deutsch)“ oder „Standard“.",
        ));
    }
    let filter = ResponseFilter::from_query(pairs).map_err(|e| errors.extend(e)).ok();
    // Aggregates leave the KI: only the views of the dashboards' publication lattice.
    if let (Some(ExportKind::Aggregates), Some(filter)) = (kind, &filter) {
        if let Err(error) = domain::disclosure::View::from_filter(filter) {
            errors.push(error);
        }
    }
    match (questionnaire_id, kind, dialect, filter) {
        (Some(questionnaire_id), Some(kind), Some(dialect), Some(filter)) if errors.is_empty() => {
            Ok(ExportRequest {
                questionnaire_id,
                kind,
                dialect,
                filter,
                with_contacts: value("kontakte") == Some("1"),
                themes: None,
            })
        }
        _ => Err(errors),
    }
}

impl Staff {
    /// What the export page offers this user.
    pub async fn export_page(&self, principal: &Principal) -> Result<ExportPage, AppError> {
        let questionnaires = self.questionnaire_choices().await?;
        let files = ExportKind::ALL
            .into_iter()
            .filter(|k| principal.is_admin() || !k.is_raw())
            .map(|k| (k.as_str().to_string(), k.label().to_string()))
            .collect();
        Ok(ExportPage { me: principal.clone(), questionnaires, files, min_group: self.min_group })
    }

    /// Single responses, and names and contacts, only for administrators; members get the
    /// aggregates of their own themes and the codebook. Every export is in the audit log.
    pub async fn export(
        &self,
        principal: &Principal,
        mut request: ExportRequest,
    ) -> Result<ExportDownload, AppError> {
        if !principal.is_admin() {
            if request.kind.is_raw() || request.with_contacts {
                return Err(AppError::not_allowed());
            }
            request.themes = Some(principal.themes.clone());
        }
        let detail = format!(
            "Fragebogen {}: {} ({}){}; {}",
            request.questionnaire_id,
            request.kind.label(),
            request.dialect.label(),
            if request.with_contacts { ", mit Namen und Kontakten" } else { "" },
            request.filter.describe()
        );
        let download = start_export(&self.store, request, self.min_group).await?;
        self.store.audit_by(principal, "Export", &detail).await?;
        Ok(download)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn reads_the_download_form() {
        let r = export_request_from_query(&query(&[
            ("fragebogen", "2"),
            ("datei", "long"),
            ("dialekt", "standard"),
            ("art", "kita"),
            ("kontakte", "1"),
        ]))
        .unwrap();
        assert_eq!(
            (r.questionnaire_id, r.kind, r.dialect, r.with_contacts),
            (2, ExportKind::Long, Dialect::Standard, true)
        );
        assert_eq!(r.filter.kinds, vec!["kita"]);
        let defaults = export_request_from_query(&query(&[("fragebogen", "1")])).unwrap();
        assert_eq!(
            (defaults.kind, defaults.dialect, defaults.with_contacts),
            (ExportKind::Wide, Dialect::Excel, false)
        );
    }

    #[test]
    fn names_each_wrong_field() {
        let errors = export_request_from_query(&query(&[
            ("datei", "alles"),
            ("dialekt", "xls"),
            ("von", "2026-13-01"),
        ]))
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field_id.as_str()).collect();
        assert_eq!(fields, ["f-fragebogen", "f-datei", "f-dialekt", "f-von"]);
    }
}
