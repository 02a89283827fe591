//! The aggregates export: the dashboards' figures of every theme, streamed as they are counted.

use crate::csv_out::CsvOut;
use crate::dashboards::figures_csv::{write_header, write_theme};
use crate::dashboards::protected_figures;
use crate::db::{ChunkSender, StoredQuestionnaire};
use crate::exports::ExportRequest;
use crate::Store;
use domain::disclosure::View;
use domain::AppError;

/// Writes the aggregates theme by theme, sending each theme's lines as soon as they are
/// counted, so that the download starts at once however long the counting takes.
pub async fn stream_aggregates(
    store: &Store,
    stored: &StoredQuestionnaire,
    request: &ExportRequest,
    min_group: u64,
    chunks: &ChunkSender,
) -> Result<(), AppError> {
    let view = View::from_filter(&request.filter).map_err(|e| AppError::BadRequest(e.message))?;
    let mut out = CsvOut::new(request.dialect);
    write_header(&mut out)?;
    for theme in &stored.questionnaire.themes {
        if request.themes.as_ref().is_some_and(|allowed| !allowed.contains(&theme.code)) {
            continue;
        }
        if chunks.send(Ok(out.take()?)).await.is_err() {
            return Ok(());
        }
        write_theme(&mut out, &protected_figures(store, stored, theme, &view, min_group).await?)?;
    }
    let _ = chunks.send(Ok(out.take()?)).await;
    Ok(())
}
