//! The council's progress report and the catalogue of measures: read by every signed-in
//! person, like the concept itself. The figures are `domain::concept_report`'s; this reads
//! what they are computed from.

use super::catalogue_csv::write_catalogue;
use super::chapters;
use crate::csv_out::{CsvOut, Dialect};
use crate::now_ms;
use crate::staff::Staff;
use domain::concept::ConceptTheme;
use domain::concept_report::ProgressReportPage;
use domain::staff::Principal;
use domain::AppError;

impl Staff {
    /// Every theme's chapter, as the document shows them.
    async fn all_chapters(&self) -> Result<Vec<ConceptTheme>, AppError> {
        let themes = self.concept_themes().await?;
        let rows = self.store.concept_rows().await?;
        Ok(chapters(rows, &themes))
    }

    /// The progress report with the changes since `since` (as typed; empty: since New Year).
    pub async fn progress_report(
        &self,
        principal: &Principal,
        since: &str,
    ) -> Result<ProgressReportPage, AppError> {
        let themes = self.all_chapters().await?;
        Ok(ProgressReportPage::new(principal.clone(), &themes, since, now_ms()))
    }

    /// The catalogue of measures as CSV in `dialect`: (file name, bytes).
    pub async fn measure_catalogue_csv(
        &self,
        _principal: &Principal,
        dialect: Dialect,
    ) -> Result<(String, Vec<u8>), AppError> {
        let themes = self.all_chapters().await?;
        let mut out = CsvOut::new(dialect);
        write_catalogue(&mut out, &themes)?;
        Ok((format!("massnahmenkatalog_{}.csv", dialect.as_str()), out.take()?))
    }
}
