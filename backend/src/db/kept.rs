//! Audited themes kept per tally version, so that a dashboard request reuses them.

use domain::protected::Protected;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Protected themes kept while their tallies do not change: reading a theme's atoms and
/// auditing its figures depend on the tallies alone and take longer than a page may.
#[derive(Default)]
pub(crate) struct ProtectedCache {
    pub(crate) themes: Mutex<HashMap<ProtectedKey, (i64, Arc<Protected>)>>,
}

/// Questionnaire, revision, theme, whether only its matrices are counted, minimum group.
pub(crate) type ProtectedKey = (i64, i64, String, bool, u64);

/// Kept themes at most; beyond, the cache starts afresh (a theme is rebuilt in one request).
pub(crate) const PROTECTED_KEPT: usize = 256;
