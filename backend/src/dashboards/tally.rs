//! What a submitted response adds to the dashboard tallies, and the compact encoding of a
//! tally row's counts. Plain functions without SQL; `dashboards::store` stores them.

use crate::db::StoredQuestionnaire;
use domain::answers::{Answers, OTHER_ROW};
use domain::filter::berlin_date;
use domain::reference::WHOLE_COUNTY;
use domain::{AppError, QuestionKind, Reference};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Row code of the slot that counts the responses answering a question at all.
pub const ANSWERED_ROW: &str = "*";

/// Day of the rows that hold a cell's counts over all days.
pub const ALL_DAYS: i64 = -1;

/// The theme code of the rows that count a cell's respondents, whatever they answered: so a
/// theme added after responses came in still has them all as its base.
pub const RESPONDENTS_THEME: &str = "";

/// A counted combination: question id, row code, value.
pub type SlotKey = (i64, String, String);

/// Where each question's values are counted.
pub struct TallyLayout {
    theme_codes: Vec<String>,
    /// Question id → (index into `theme_codes`, whether it is a free text).
    questions: HashMap<i64, (usize, bool)>,
    kind_question: Option<i64>,
    places_question: Option<i64>,
}

impl TallyLayout {
    pub fn new(stored: &StoredQuestionnaire) -> Self {
        let q = &stored.questionnaire;
        let mut questions = HashMap::new();
        for (index, theme) in q.themes.iter().enumerate() {
            for question in &theme.questions {
                if let Some(id) = stored.question_id(&question.code) {
                    let text = matches!(
                        question.kind,
                        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. }
                    );
                    questions.insert(id, (index, text));
                }
            }
        }
        let reference = |r| q.question_with_reference(r).and_then(|x| stored.question_id(&x.code));
        Self {
            theme_codes: q.themes.iter().map(|t| t.code.clone()).collect(),
            questions,
            kind_question: reference(Reference::OrgKind),
            places_question: reference(Reference::Municipalities),
        }
    }

    pub fn theme_codes(&self) -> &[String] {
        &self.theme_codes
    }
}

/// One response's stored rows, gathered into what it adds to the tallies.
#[derive(Debug, Default)]
pub struct ResponseTally {
    org_kind: Option<String>,
    places: Vec<String>,
    /// (theme index, slot).
    slots: BTreeSet<(usize, SlotKey)>,
    texts: Vec<(i64, String)>,
}

impl ResponseTally {
    pub fn from_answers(
        layout: &TallyLayout,
        stored: &StoredQuestionnaire,
        answers: &Answers,
    ) -> Self {
        let mut tally = Self::default();
        for (code, answer) in answers {
            let Some(id) = stored.question_id(code) else { continue };
            for (row, value) in answer.to_rows() {
                tally.add_row(layout, id, &row, &value);
            }
        }
        tally
    }

    /// Adds one stored answer row, as the answer table holds it.
    pub fn add_row(&mut self, layout: &TallyLayout, question_id: i64, row_code: &str, value: &str) {
        if Some(question_id) == layout.kind_question
            && row_code.is_empty()
            && self.org_kind.is_none()
        {
            self.org_kind = Some(value.to_string());
        }
        if Some(question_id) == layout.places_question && row_code.is_empty() {
            self.places.push(value.to_string());
        }
        let Some(&(theme, text)) = layout.questions.get(&question_id) else { return };
        self.slots.insert((theme, (question_id, ANSWERED_ROW.to_string(), String::new())));
        if text || row_code == OTHER_ROW {
            self.texts.push((question_id, value.to_string()));
        }
        if text {
            return;
        }
        // "Other" texts are counted, not grouped by their wording.
        let value = if row_code == OTHER_ROW { "" } else { value };
        self.slots.insert((theme, (question_id, row_code.to_string(), value.to_string())));
    }

    /// The rows this response adds one to, submitted at `submitted_at` (ms since the epoch).
    pub fn finish(self, layout: &TallyLayout, submitted_at: i64) -> Contribution {
        let mut by_theme: Vec<Vec<SlotKey>> = vec![Vec::new(); layout.theme_codes.len()];
        for (theme, slot) in self.slots {
            by_theme[theme].push(slot);
        }
        let themes = std::iter::once((RESPONDENTS_THEME.to_string(), Vec::new()))
            .chain(
                layout
                    .theme_codes
                    .iter()
                    .cloned()
                    .zip(by_theme)
                    .filter(|(_, slots)| !slots.is_empty()),
            )
            .collect();
        Contribution {
            org_kind: self.org_kind.unwrap_or_default(),
            municipalities: municipality_key(&self.places),
            day: berlin_date(submitted_at).days_since_epoch(),
            submitted_at,
            themes,
            texts: self.texts,
        }
    }
}

/// A submitted response's share of the tallies: one respondent in its cell's row of
/// [`RESPONDENTS_THEME`], and in the row of each theme it answered one in each slot it fills.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub org_kind: String,
    pub municipalities: String,
    pub day: i64,
    /// Milliseconds since the epoch.
    pub submitted_at: i64,
    /// [`RESPONDENTS_THEME`] without slots, then each theme with at least one slot.
    pub themes: Vec<(String, Vec<SlotKey>)>,
    /// The free texts, for the search: (question id, text), "other" texts included.
    pub texts: Vec<(i64, String)>,
}

/// The id of a response's text for a question: the question's id times 2^32 plus the
/// response's, so that each question's texts are one range of ids (see [`text_id_range`]).
/// A response has at most one text per question: a text question's, or a choice's "other".
pub fn text_id(question_id: i64, response_id: i64) -> Result<i64, AppError> {
    if !(0..1 << 31).contains(&question_id) || !(0..1 << 32).contains(&response_id) {
        return Err(AppError::internal(format!(
            "text id out of range: question {question_id}, response {response_id}"
        )));
    }
    Ok(question_id << 32 | response_id)
}

/// The first and last possible [`text_id`] of a question's texts.
pub fn text_id_range(question_id: i64) -> (i64, i64) {
    (question_id << 32, question_id << 32 | 0xFFFF_FFFF)
}

/// The municipalities key of the rows that hold a kind's responses whatever municipalities
/// they serve: what requests without a municipality filter sum.
pub const ALL_PLACES: &str = "*";

/// The municipalities key of a place's rows: the responses serving that municipality, or, for
/// [`WHOLE_COUNTY`], those serving the whole county. A response serving the whole county counts
/// only there, even if it also names municipalities, so that a municipality's rows plus the
/// county's hold each of its responses once.
pub fn place_key(place: &str) -> String {
    format!("@{place}")
}

/// The place of a place's key; `None` for a set's key or [`ALL_PLACES`].
pub fn place_of_key(key: &str) -> Option<&str> {
    key.strip_prefix('@')
}

impl Contribution {
    /// The municipalities keys it counts under: its own set, all municipalities, and each
    /// place it serves (see [`place_key`]).
    pub fn municipality_keys(&self) -> Vec<String> {
        let places: Vec<&str> = places_of_key(&self.municipalities).collect();
        let mut keys = vec![self.municipalities.clone(), ALL_PLACES.to_string()];
        if places.contains(&WHOLE_COUNTY) {
            keys.push(place_key(WHOLE_COUNTY));
        } else {
            keys.extend(places.into_iter().map(place_key));
        }
        keys
    }
}

/// The stored form of a set of municipalities: sorted, each between commas, so that
/// `LIKE '%,<ags>,%'` finds one.
pub fn municipality_key(places: &[String]) -> String {
    let set: BTreeSet<&str> = places.iter().map(String::as_str).collect();
    let mut key = String::from(",");
    for place in set {
        key.push_str(place);
        key.push(',');
    }
    key
}

pub fn places_of_key(key: &str) -> impl Iterator<Item = &str> {
    key.split(',').filter(|p| !p.is_empty())
}

/// Counts per slot id.
pub type SlotCounts = BTreeMap<i64, i64>;

/// Encodes counts as LEB128 pairs (slot id, count), leaving out zeros.
pub fn encode(counts: &SlotCounts) -> Vec<u8> {
    let mut out = Vec::with_capacity(counts.len() * 3);
    for (&slot, &count) in counts {
        if count > 0 {
            push_varint(&mut out, slot as u64);
            push_varint(&mut out, count as u64);
        }
    }
    out
}

/// Calls `each(slot, count)` for every pair of an encoded row.
pub fn decode(mut bytes: &[u8], mut each: impl FnMut(i64, i64)) -> Result<(), AppError> {
    while !bytes.is_empty() {
        let slot = read_varint(&mut bytes)?;
        let count = read_varint(&mut bytes)?;
        each(slot as i64, count as i64);
    }
    Ok(())
}

/// An encoded row with `delta` (+1 or -1 per slot) applied. A count below zero means the
/// tallies no longer match the answers: refused, so that the transaction rolls back.
pub fn apply(bytes: &[u8], slots: &[i64], delta: i64) -> Result<Vec<u8>, AppError> {
    let mut counts = SlotCounts::new();
    decode(bytes, |slot, count| {
        counts.insert(slot, count);
    })?;
    for slot in slots {
        let count = counts.entry(*slot).or_insert(0);
        *count += delta;
        if *count < 0 {
            return Err(AppError::internal(format!("tally slot {slot} would drop below zero")));
        }
    }
    Ok(encode(&counts))
}

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_varint(bytes: &mut &[u8]) -> Result<u64, AppError> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let Some((&byte, rest)) = bytes.split_first() else { break };
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(AppError::internal("a tally row's counts are cut off"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_survive_encoding_and_zeros_drop_out() {
        let counts: SlotCounts = [(1, 1), (7, 0), (300, 129), (70_000, 2)].into_iter().collect();
        let bytes = encode(&counts);
        let mut back = SlotCounts::new();
        decode(&bytes, |s, c| {
            back.insert(s, c);
        })
        .unwrap();
        assert_eq!(back, [(1, 1), (300, 129), (70_000, 2)].into_iter().collect());
        assert!(decode(&bytes[..bytes.len() - 1], |_, _| {}).is_err());
    }

    #[test]
    fn applying_adds_and_takes_out_again() {
        let once = apply(&[], &[3, 5], 1).unwrap();
        let twice = apply(&once, &[5, 9], 1).unwrap();
        let mut seen = Vec::new();
        decode(&twice, |s, c| seen.push((s, c))).unwrap();
        assert_eq!(seen, vec![(3, 1), (5, 2), (9, 1)]);
        assert_eq!(
            apply(&apply(&twice, &[5, 9], -1).unwrap(), &[3, 5], -1).unwrap(),
            Vec::<u8>::new()
        );
        assert!(apply(&once, &[4], -1).is_err());
    }

    fn stored() -> StoredQuestionnaire {
        let questionnaire = domain::default_questionnaire::default_questionnaire();
        let codes: Vec<String> = questionnaire.questions().map(|q| q.code.clone()).collect();
        let question_ids =
            codes.iter().enumerate().map(|(i, c)| (c.clone(), i as i64 + 1)).collect();
        let question_codes =
            codes.iter().enumerate().map(|(i, c)| (i as i64 + 1, c.clone())).collect();
        StoredQuestionnaire { questionnaire, revision: 1, question_ids, question_codes }
    }

    #[test]
    fn a_response_counts_once_as_respondent_and_once_per_slot() {
        let stored = stored();
        let layout = TallyLayout::new(&stored);
        let id = |code: &str| stored.question_id(code).unwrap();
        let mut tally = ResponseTally::default();
        tally.add_row(&layout, id("profil_art"), "", "kita");
        tally.add_row(&layout, id("profil_kommunen"), "", "05154036");
        tally.add_row(&layout, id("profil_kommunen"), "", "05154008");
        tally.add_row(&layout, id("fbs_bestand"), "griffbereit", "vorhanden");
        tally.add_row(&layout, id("fbs_huerden"), "", "personal_zeit");
        tally.add_row(&layout, id("fbs_huerden"), OTHER_ROW, "Elterncafé fehlt");
        tally.add_row(&layout, id("fbs_fehlt"), "", "Mehr Kurse");
        // 1 September 2026, 21:30 UTC: 23:30 in Berlin, still the 1st.
        let c = tally.finish(&layout, 1_788_298_200_000);
        assert_eq!(
            (c.org_kind.as_str(), c.municipalities.as_str()),
            ("kita", ",05154008,05154036,")
        );
        assert_eq!(c.day, domain::filter::Date::new(2026, 9, 1).unwrap().days_since_epoch());
        let themes: Vec<&str> = c.themes.iter().map(|(t, _)| t.as_str()).collect();
        let profile = stored.questionnaire.themes[0].code.as_str();
        assert_eq!(
            themes,
            vec![RESPONDENTS_THEME, profile, "fruehe_bildung_schule"],
            "only answered themes get a row"
        );
        let school = &c.themes[2].1;
        let answered = |code: &str| (id(code), ANSWERED_ROW.to_string(), String::new());
        assert!(
            school.contains(&answered("fbs_bestand")) && school.contains(&answered("fbs_fehlt"))
        );
        assert!(
            school.contains(&(id("fbs_huerden"), OTHER_ROW.to_string(), String::new())),
            "other texts count without their wording"
        );
        assert!(
            !school.iter().any(|(q, row, _)| *q == id("fbs_fehlt") && row != ANSWERED_ROW),
            "free texts are not counted by wording"
        );
        assert_eq!(school.len(), 6);
        assert_eq!(
            c.texts,
            [
                (id("fbs_huerden"), "Elterncafé fehlt".to_string()),
                (id("fbs_fehlt"), "Mehr Kurse".to_string())
            ],
            "texts are kept for the search"
        );
        assert_eq!(c.submitted_at, 1_788_298_200_000);
    }

    #[test]
    fn each_question_has_its_own_range_of_text_ids() {
        let id = text_id(7, 12).unwrap();
        let (first, last) = text_id_range(7);
        assert!(first <= id && id <= last);
        assert!(text_id_range(6).1 < first && last < text_id_range(8).0);
        assert_eq!(text_id(7, (1 << 32) - 1).unwrap(), last);
        assert!(
            text_id(7, 1 << 32).is_err() && text_id(1 << 31, 1).is_err() && text_id(-1, 1).is_err()
        );
    }

    #[test]
    fn municipality_keys_are_sorted_and_searchable() {
        let key = municipality_key(&["05154036".into(), "05154008".into(), "05154036".into()]);
        assert_eq!(key, ",05154008,05154036,");
        assert_eq!(places_of_key(&key).collect::<Vec<_>>(), vec!["05154008", "05154036"]);
        assert_eq!(municipality_key(&[]), ",");
    }

    #[test]
    fn a_county_wide_response_counts_under_the_county_only() {
        let contribution = |places: &[&str]| Contribution {
            org_kind: "kita".into(),
            municipalities: municipality_key(
                &places.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            ),
            day: 0,
            submitted_at: 0,
            themes: Vec::new(),
            texts: Vec::new(),
        };
        assert_eq!(
            contribution(&["05154036", "05154008"]).municipality_keys(),
            [",05154008,05154036,", ALL_PLACES, "@05154008", "@05154036"]
        );
        assert_eq!(
            contribution(&["05154036", WHOLE_COUNTY]).municipality_keys(),
            [",05154036,kreisweit,", ALL_PLACES, "@kreisweit"]
        );
        assert_eq!(contribution(&[]).municipality_keys(), [",", ALL_PLACES]);
        assert_eq!(place_of_key(&place_key("05154036")), Some("05154036"));
        assert_eq!(place_of_key(ALL_PLACES), None);
    }
}
