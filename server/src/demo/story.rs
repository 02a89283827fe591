//! The structure of the demo data: who answers (kind of organisation, municipalities served)
//! and how, so that the dashboards show something to discuss. Pure: no I/O, and the same random
//! numbers give the same answers.
//!
//! The story the figures tell, as the KI would put it:
//! - the Städte report more offers than the smaller Gemeinden, most of all in early education
//!   (Griffbereit and Rucksack KiTa run mainly in the towns);
//! - language and housing have clearly the highest need everywhere, participation and
//!   volunteering the lowest; within a theme, some offers lack more than others (language
//!   courses with childcare, psychosocial care, help finding a flat);
//! - organisations know their own field: schools and Kitas answer early education with few
//!   "weiß nicht", counselling services housing and language, sports clubs participation;
//! - a few municipalities have a profile of their own: Kleve (county seat, university: more
//!   offers, a tight housing market), Emmerich am Rhein and Straelen (labour migration: language,
//!   work and housing), Weeze (housing), Kranenburg (active clubs), Uedem (fewest offers);
//! - in the smallest Gemeinden, Rheurdt and Wachtendonk, nearly every organisation also serves
//!   its neighbour (Kerken, Straelen): only one or two serve them alone. The dashboards therefore
//!   withhold both, however many responses name them, since their figures minus the
//!   neighbour's would describe those one or two organisations.

use super::texts;
use domain::answers::Answer;
use domain::questionnaire::{CANNOT_JUDGE, NO, YES};
use domain::reference::{MUNICIPALITIES, WHOLE_COUNTY};
use domain::validation::prune_hidden;
use domain::{Answers, Question, QuestionKind, Questionnaire, Reference};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub const BEDBURG_HAU: &str = "05154004";
pub const EMMERICH: &str = "05154008";
pub const GELDERN: &str = "05154012";
pub const GOCH: &str = "05154016";
pub const ISSUM: &str = "05154020";
pub const KALKAR: &str = "05154024";
pub const KERKEN: &str = "05154028";
pub const KEVELAER: &str = "05154032";
pub const KLEVE: &str = "05154036";
pub const KRANENBURG: &str = "05154040";
pub const REES: &str = "05154044";
pub const RHEURDT: &str = "05154048";
pub const STRAELEN: &str = "05154052";
pub const UEDEM: &str = "05154056";
pub const WACHTENDONK: &str = "05154060";
pub const WEEZE: &str = "05154064";

/// A kind of organisation: how many answer, where they work, what they know.
struct Kind {
    code: &'static str,
    /// Relative number of responses.
    weight: u32,
    /// Probability of serving the whole county.
    county_wide: f64,
    /// Probability of serving neighbouring municipalities too.
    regional: f64,
    /// Prefixes of the themes of its own work: answered knowingly, need seen more clearly.
    fields: &'static [&'static str],
    /// Share of "weiß nicht" in the stock of the other themes (own themes: [`OWN_UNKNOWN`]).
    unknown: f64,
    /// Shift of its need ratings (scale points) and of "vorhanden" (log-odds).
    need: f64,
    stock: f64,
}

/// "weiß nicht" in the stock of an organisation's own themes.
const OWN_UNKNOWN: f64 = 0.03;

#[rustfmt::skip]
const KINDS: [Kind; 14] = [
    Kind { code: "kommune", weight: 5, county_wide: 0.0, regional: 0.03, fields: &["woh", "iko", "tei"], unknown: 0.12, need: -0.2, stock: 0.3 },
    Kind { code: "kita", weight: 18, county_wide: 0.0, regional: 0.03, fields: &["fbs", "ges"], unknown: 0.35, need: 0.0, stock: 0.0 },
    Kind { code: "schule", weight: 20, county_wide: 0.0, regional: 0.05, fields: &["fbs", "aus", "iko"], unknown: 0.3, need: 0.1, stock: 0.0 },
    Kind { code: "weiterbildung", weight: 4, county_wide: 0.05, regional: 0.3, fields: &["spr", "aus", "arb"], unknown: 0.25, need: 0.0, stock: 0.1 },
    Kind { code: "beratung", weight: 9, county_wide: 0.04, regional: 0.35, fields: &["spr", "woh", "ges", "arb"], unknown: 0.15, need: 0.2, stock: 0.0 },
    Kind { code: "arbeitsagentur", weight: 2, county_wide: 0.5, regional: 0.35, fields: &["arb", "aus", "spr"], unknown: 0.3, need: -0.1, stock: 0.2 },
    Kind { code: "integrationsagentur", weight: 2, county_wide: 0.3, regional: 0.35, fields: &["iko", "tei", "spr"], unknown: 0.12, need: 0.1, stock: 0.0 },
    Kind { code: "wohlfahrt", weight: 6, county_wide: 0.05, regional: 0.35, fields: &["woh", "ges", "tei"], unknown: 0.15, need: 0.2, stock: 0.0 },
    Kind { code: "migrationsdienst", weight: 3, county_wide: 0.15, regional: 0.35, fields: &["spr", "aus", "arb", "woh"], unknown: 0.12, need: 0.3, stock: 0.0 },
    Kind { code: "integrationsrat", weight: 2, county_wide: 0.0, regional: 0.0, fields: &["tei", "iko"], unknown: 0.2, need: 0.1, stock: 0.0 },
    Kind { code: "verein", weight: 12, county_wide: 0.0, regional: 0.08, fields: &["tei"], unknown: 0.3, need: 0.0, stock: -0.1 },
    Kind { code: "ehrenamt", weight: 10, county_wide: 0.0, regional: 0.08, fields: &["tei", "spr", "woh"], unknown: 0.25, need: 0.3, stock: -0.2 },
    Kind { code: "gesundheit", weight: 4, county_wide: 0.03, regional: 0.25, fields: &["ges"], unknown: 0.35, need: 0.1, stock: 0.0 },
    Kind { code: "sonstige", weight: 3, county_wide: 0.03, regional: 0.15, fields: &[], unknown: 0.25, need: 0.0, stock: 0.0 },
];

/// A theme (Handlungsfeld) of the default questionnaire, by the prefix of its question codes.
struct Field {
    prefix: &'static str,
    /// Its theme code (and working group).
    theme: &'static str,
    /// "vorhanden" in a Stadt (log-odds), and the shift for the smaller Gemeinden.
    stock: f64,
    rural: f64,
    /// Mean need on the scale from 1 to 5.
    need: f64,
    /// Per offer: shift of "vorhanden" (log-odds) and of the need (scale points).
    offers: &'static [(&'static str, f64, f64)],
    /// Barriers and how often they are named; those in `rural_barriers` more often in the
    /// Gemeinden.
    barriers: &'static [(&'static str, f64)],
    rural_barriers: &'static [&'static str],
}

#[rustfmt::skip]
const FIELDS: [Field; 8] = [
    Field {
        prefix: "fbs", theme: "fruehe_bildung_schule", stock: 0.6, rural: -1.6, need: 3.3,
        offers: &[("griffbereit", 0.3, 0.0), ("rucksack_kita", 0.4, 0.1), ("rucksack_schule", -0.2, 0.1),
                  ("fit_in_deutsch", 0.6, -0.2), ("sprachsensibler_unterricht", -0.5, 0.2), ("seiteneinsteiger", -0.4, 0.4)],
        barriers: &[("sprachbarrieren_eltern", 0.65), ("zu_wenige_plaetze", 0.45), ("fehlende_informationen", 0.25),
                    ("personal_zeit", 0.5), ("erreichbarkeit", 0.15), ("finanzierung", 0.3)],
        rural_barriers: &["erreichbarkeit", "fehlende_informationen"],
    },
    Field {
        prefix: "aus", theme: "ausbildung_studium", stock: -0.6, rural: -0.6, need: 3.2,
        offers: &[("gemeinsam_klappts", 0.5, 0.1), ("berufsorientierung", 0.0, 0.1), ("ausbildungsbegleitung", -0.2, 0.3),
                  ("sprachfoerderung_ausbildung", -0.6, 0.4), ("studienberatung", 0.2, -0.4)],
        barriers: &[("sprachniveau", 0.65), ("aufenthaltsstatus", 0.4), ("anerkennung", 0.35),
                    ("betriebe", 0.25), ("begleitung", 0.35), ("finanzielle_lage", 0.3)],
        rural_barriers: &["betriebe"],
    },
    Field {
        prefix: "spr", theme: "sprache_verstaendigung", stock: 0.0, rural: -0.7, need: 4.0,
        offers: &[("integrationskurse", 1.8, -0.3), ("kurse_kinderbetreuung", -1.8, 0.6), ("alphabetisierung", -0.3, 0.2),
                  ("niedrigschwellig", 0.4, -0.2), ("mehrsprachige_informationen", -0.4, 0.1), ("herkunftssprachen", -0.2, -0.6)],
        barriers: &[("wartezeiten", 0.6), ("kinderbetreuung", 0.65), ("kurszeiten", 0.4),
                    ("wege", 0.2), ("kursniveau", 0.3), ("fehlende_informationen", 0.25)],
        rural_barriers: &["wege", "fehlende_informationen"],
    },
    Field {
        prefix: "arb", theme: "arbeit_beruf", stock: -0.3, rural: -0.5, need: 3.2,
        offers: &[("anerkennungsberatung", 0.2, 0.2), ("arbeitsmarktberatung", 0.6, -0.2), ("berufssprachkurse", 0.0, 0.2),
                  ("qualifizierung", -0.1, 0.0), ("arbeitgeberberatung", -0.6, 0.0), ("frauen_berufseinstieg", -0.8, 0.3)],
        barriers: &[("anerkennung", 0.55), ("arbeitserlaubnis", 0.35), ("sprachniveau", 0.6),
                    ("vorbehalte", 0.3), ("kinderbetreuung", 0.4), ("mobilitaet", 0.25)],
        rural_barriers: &["mobilitaet"],
    },
    Field {
        prefix: "ges", theme: "gesundheit", stock: -0.9, rural: -0.5, need: 3.5,
        offers: &[("trauma_workshops_kita", 0.2, -0.1), ("psychosoziale_versorgung", -0.8, 0.6), ("sprachmittlung_gesundheit", -0.2, 0.5),
                  ("gesundheitsinformationen", 0.3, -0.2), ("gesundheitslotsen", -0.6, -0.2)],
        barriers: &[("verstaendigung", 0.6), ("therapieplaetze", 0.55), ("kosten_sprachmittlung", 0.45),
                    ("wissen_system", 0.35), ("vorbehalte_hilfe", 0.25), ("wege", 0.2)],
        rural_barriers: &["wege"],
    },
    Field {
        prefix: "woh", theme: "wohnen", stock: -1.2, rural: -0.3, need: 4.1,
        offers: &[("wohnungssuche", -0.3, 0.5), ("vermieter", -1.0, 0.3), ("unterkunft_betreuung", 1.3, -0.3),
                  ("mietrecht", 0.0, 0.0), ("nachbarschaft", -0.2, -0.4)],
        barriers: &[("wohnraum", 0.85), ("diskriminierung", 0.45), ("unterkunft_dauer", 0.4),
                    ("wissen_mietrecht", 0.3), ("sprachbarrieren", 0.35), ("anbindung", 0.15)],
        rural_barriers: &["anbindung"],
    },
    Field {
        prefix: "tei", theme: "teilhabe_ehrenamt", stock: 0.3, rural: -0.3, need: 2.6,
        offers: &[("sport", 0.5, -0.2), ("begegnung", 0.6, -0.2), ("patenschaften", 0.0, 0.1),
                  ("migrantenorganisationen", -0.5, 0.1), ("ehrenamt_begleitung", -0.2, 0.3), ("politische_teilhabe", -0.3, -0.1)],
        barriers: &[("fehlende_informationen", 0.4), ("kosten", 0.35), ("sprachbarrieren", 0.4),
                    ("ehrenamt_rueckgang", 0.45), ("raeume", 0.25), ("hauptamt", 0.35)],
        rural_barriers: &["raeume"],
    },
    Field {
        prefix: "iko", theme: "interkulturelle_oeffnung", stock: -0.7, rural: -0.5, need: 2.8,
        offers: &[("schule_ohne_rassismus", 0.5, -0.2), ("fortbildungen", 0.2, 0.1), ("antidiskriminierung", -0.8, 0.3),
                  ("mehrsprachige_ansprache", -0.3, 0.2), ("personalgewinnung", -0.6, 0.0), ("leitbild", -0.4, -0.2)],
        barriers: &[("zeit_fortbildung", 0.5), ("kosten_uebersetzung", 0.4), ("leitung", 0.2),
                    ("unsicherheit", 0.3), ("ansprechpersonen", 0.4), ("vorbehalte", 0.2)],
        rural_barriers: &["ansprechpersonen"],
    },
];

/// Themes of questionnaires other than the default: no structure of their own.
const NEUTRAL: Field = Field {
    prefix: "",
    theme: "",
    stock: 0.0,
    rural: -0.4,
    need: 3.0,
    offers: &[],
    barriers: &[],
    rural_barriers: &[],
};

fn field(prefix: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.prefix == prefix)
}

/// A municipality as the demo sees it.
struct Place {
    ags: &'static str,
    /// Relative number of organisations based here that answer (about the population).
    weight: u32,
    /// Neighbours an organisation based here may serve as well; the first is the partner of a
    /// municipality with `own_only`.
    neighbours: &'static [&'static str],
    /// Its own profile: (theme prefix, "" for every theme; shift of "vorhanden" in log-odds;
    /// shift of the need in scale points).
    profile: &'static [(&'static str, f64, f64)],
    /// The smallest Gemeinden: at most this many submitted responses come from organisations
    /// serving them alone; every other one also serves the partner.
    own_only: Option<u32>,
}

#[rustfmt::skip]
const PLACES: [Place; 16] = [
    Place { ags: BEDBURG_HAU, weight: 3, neighbours: &[KLEVE, GOCH, KALKAR, UEDEM], profile: &[], own_only: None },
    Place { ags: EMMERICH, weight: 8, neighbours: &[REES, KLEVE], profile: &[("spr", 0.0, 0.3), ("woh", 0.0, 0.3), ("arb", 0.3, 0.2), ("ges", -0.3, 0.0)], own_only: None },
    Place { ags: GELDERN, weight: 9, neighbours: &[KEVELAER, ISSUM, KERKEN, STRAELEN], profile: &[("fbs", 0.3, 0.0)], own_only: None },
    Place { ags: GOCH, weight: 9, neighbours: &[BEDBURG_HAU, UEDEM, WEEZE, KEVELAER], profile: &[("iko", 0.4, 0.0)], own_only: None },
    Place { ags: ISSUM, weight: 3, neighbours: &[GELDERN, KERKEN], profile: &[], own_only: None },
    Place { ags: KALKAR, weight: 4, neighbours: &[KLEVE, BEDBURG_HAU, UEDEM, REES], profile: &[], own_only: None },
    Place { ags: KERKEN, weight: 3, neighbours: &[GELDERN, ISSUM, RHEURDT, WACHTENDONK], profile: &[], own_only: None },
    Place { ags: KEVELAER, weight: 7, neighbours: &[WEEZE, GOCH, UEDEM, GELDERN], profile: &[("tei", 0.3, 0.0)], own_only: None },
    Place { ags: KLEVE, weight: 14, neighbours: &[KRANENBURG, BEDBURG_HAU, KALKAR, EMMERICH], profile: &[("", 0.3, 0.0), ("aus", 0.5, 0.0), ("woh", 0.0, 0.5)], own_only: None },
    Place { ags: KRANENBURG, weight: 3, neighbours: &[KLEVE], profile: &[("tei", 0.6, -0.2)], own_only: None },
    Place { ags: REES, weight: 5, neighbours: &[EMMERICH, KALKAR], profile: &[], own_only: None },
    Place { ags: RHEURDT, weight: 2, neighbours: &[KERKEN, ISSUM], profile: &[], own_only: Some(2) },
    Place { ags: STRAELEN, weight: 4, neighbours: &[GELDERN, WACHTENDONK], profile: &[("arb", 0.0, 0.4), ("woh", 0.0, 0.3), ("spr", 0.0, 0.2)], own_only: None },
    Place { ags: UEDEM, weight: 2, neighbours: &[GOCH, KALKAR, KEVELAER, BEDBURG_HAU], profile: &[("", -0.5, 0.1)], own_only: None },
    Place { ags: WACHTENDONK, weight: 2, neighbours: &[STRAELEN, KERKEN], profile: &[], own_only: Some(1) },
    Place { ags: WEEZE, weight: 3, neighbours: &[GOCH, KEVELAER], profile: &[("woh", 0.0, 0.4), ("spr", 0.0, 0.2)], own_only: None },
];

fn place(ags: &str) -> Option<&'static Place> {
    PLACES.iter().find(|p| p.ags == ags)
}

fn is_town(ags: &str) -> bool {
    MUNICIPALITIES.iter().any(|m| m.ags == ags && m.is_town)
}

/// Who answers one response.
#[derive(Debug, Clone)]
struct Respondent {
    /// Index into [`KINDS`]; `None` when the questionnaire's kinds are others.
    kind: Option<usize>,
    /// What the response names: AGS codes, or [`WHOLE_COUNTY`].
    places: Vec<String>,
    /// 0 for the Städte, 1 for the Gemeinden (see [`rurality`]).
    rural: f64,
    /// A general sense of need that shifts all of a response's ratings a little.
    need_bias: f64,
}

/// The share of Gemeinden among the places a response names: it answers for all of them. The
/// whole county counts as mostly towns (most people live there).
fn rurality(places: &[&str]) -> f64 {
    if places.is_empty() {
        return 0.3;
    }
    places.iter().filter(|ags| !is_town(ags)).count() as f64 / places.len() as f64
}

impl Respondent {
    fn kind(&self) -> Option<&'static Kind> {
        self.kind.map(|i| &KINDS[i])
    }

    /// 0 for the Städte, 1 for the Gemeinden, in between for a response serving both.
    fn rural(&self) -> f64 {
        self.rural
    }

    fn knows(&self, prefix: &str) -> bool {
        self.kind().is_some_and(|k| k.fields.contains(&prefix))
    }

    /// Share of "weiß nicht" in a theme's stock.
    fn unknown(&self, prefix: &str) -> f64 {
        if self.knows(prefix) {
            OWN_UNKNOWN
        } else {
            self.kind().map_or(0.2, |k| k.unknown)
        }
    }

    /// The shifts of the municipalities served for a theme, averaged: (stock log-odds, need
    /// points).
    fn place_shift(&self, prefix: &str) -> (f64, f64) {
        let served: Vec<&Place> = self.places.iter().filter_map(|ags| place(ags)).collect();
        let (stock, need) = served
            .iter()
            .flat_map(|p| p.profile.iter())
            .filter(|(p, _, _)| p.is_empty() || *p == prefix)
            .fold((0.0, 0.0), |(s, n), (_, ds, dn)| (s + ds, n + dn));
        let count = served.len().max(1) as f64;
        (stock / count, need / count)
    }

    /// Probability of "vorhanden" for an offer of a theme.
    fn exists(&self, field: &Field, offer: &str) -> f64 {
        let (offer_shift, _) = offer_shift(field, offer);
        let logit = field.stock
            + field.rural * self.rural()
            + offer_shift
            + self.kind().map_or(0.0, |k| k.stock)
            + self.place_shift(field.prefix).0;
        1.0 / (1.0 + (-logit).exp())
    }

    /// Mean need for an offer of a theme (the whole theme when `offer` is empty).
    fn need(&self, field: &Field, offer: &str) -> f64 {
        field.need
            + offer_shift(field, offer).1
            + self.kind().map_or(0.0, |k| k.need)
            + if self.knows(field.prefix) { 0.2 } else { 0.0 }
            + 0.15 * self.rural()
            + self.place_shift(field.prefix).1
            + self.need_bias
    }
}

fn offer_shift(field: &Field, offer: &str) -> (f64, f64) {
    field.offers.iter().find(|(o, _, _)| *o == offer).map_or((0.0, 0.0), |(_, s, n)| (*s, *n))
}

/// Makes up responses one after another; keeps what must hold across them (how many
/// organisations serve the smallest Gemeinden alone).
pub struct Generator<'q> {
    q: &'q Questionnaire,
    /// Per [`PLACES`] entry: responses serving it alone still to come.
    own_only_left: Vec<u32>,
}

impl<'q> Generator<'q> {
    pub fn new(q: &'q Questionnaire) -> Self {
        Self { q, own_only_left: PLACES.iter().map(|p| p.own_only.unwrap_or(u32::MAX)).collect() }
    }

    /// Answers for the first `pages` pages; a submitted (`complete`) response answers every
    /// shown required question, optional ones most of the time.
    pub fn answers(&mut self, pages: usize, complete: bool, rng: &mut ChaCha8Rng) -> Answers {
        let who = self.respondent(complete, rng);
        let mut answers = Answers::new();
        for theme in self.q.themes.iter().take(pages) {
            for question in &theme.questions {
                if !self.q.is_visible(question, &answers) {
                    continue;
                }
                let prefix = prefix(&question.code);
                let answer_it = question.required && complete
                    || rng.gen_bool(match (question.required, field(prefix)) {
                        (true, _) => 0.9,
                        // Optional questions of one's own field are answered more often.
                        (false, Some(_)) if who.knows(prefix) => 0.85,
                        (false, Some(_)) => 0.6,
                        (false, None) => 0.7,
                    });
                if !answer_it {
                    continue;
                }
                let answer = answer_question(question, &who, &answers, rng);
                if !answer.is_empty() {
                    answers.insert(question.code.clone(), answer);
                }
            }
        }
        prune_hidden(self.q, &mut answers);
        answers
    }

    /// Draws the kind of organisation and the municipalities it serves.
    fn respondent(&mut self, complete: bool, rng: &mut ChaCha8Rng) -> Respondent {
        let kind_options = self
            .q
            .question_with_reference(Reference::OrgKind)
            .map(|q| q.kind.choices().into_iter().map(|c| c.code).collect::<Vec<_>>())
            .unwrap_or_default();
        let kind = weighted(&KINDS.map(|k| k.weight), rng);
        let kind = kind_options.iter().any(|c| c == KINDS[kind].code).then_some(kind);
        let need_bias = rng.gen_range(-0.4..0.4);
        let place_options = self
            .q
            .question_with_reference(Reference::Municipalities)
            .map(|q| q.kind.choices().into_iter().map(|c| c.code).collect::<Vec<_>>())
            .unwrap_or_default();
        let county_wide = kind.map_or(0.05, |k| KINDS[k].county_wide);
        if rng.gen_bool(county_wide) && place_options.iter().any(|c| c == WHOLE_COUNTY) {
            return Respondent {
                kind,
                places: vec![WHOLE_COUNTY.to_string()],
                rural: rurality(&[]),
                need_bias,
            };
        }
        let home = weighted(&PLACES.map(|p| p.weight), rng);
        let mut places = vec![PLACES[home].ags];
        if PLACES[home].own_only.is_some() {
            // Only a few organisations serve the smallest Gemeinden alone (drafts are not
            // counted, so they never take one of those places).
            if complete && self.own_only_left[home] > 0 {
                self.own_only_left[home] -= 1;
            } else {
                places.push(PLACES[home].neighbours[0]);
            }
        } else if rng.gen_bool(kind.map_or(0.2, |k| KINDS[k].regional)) {
            let count = if rng.gen_bool(0.7) { 1 } else { 2 };
            for ags in PLACES[home].neighbours.choose_multiple(rng, count) {
                places.push(ags);
                // Whoever serves one of the smallest Gemeinden serves its partner too.
                if let Some(partner) =
                    place(ags).filter(|p| p.own_only.is_some()).map(|p| p.neighbours[0])
                {
                    places.push(partner);
                }
            }
        }
        places.retain(|ags| place_options.iter().any(|c| c == ags));
        if places.is_empty() {
            places.extend(place_options.first().map(String::as_str));
        }
        places.sort_by_key(|ags| place_options.iter().position(|o| o == ags));
        places.dedup();
        let rural = rurality(&places);
        let places = places.into_iter().map(str::to_string).collect();
        Respondent { kind, places, rural, need_bias }
    }
}

/// Answers for the first `pages` pages of a response on its own (see [`Generator::answers`]).
pub fn answers_for(
    q: &Questionnaire,
    pages: usize,
    complete: bool,
    rng: &mut ChaCha8Rng,
) -> Answers {
    Generator::new(q).answers(pages, complete, rng)
}

/// The part of a question code before the first "_": the theme's prefix.
fn prefix(code: &str) -> &str {
    code.split('_').next().unwrap_or("")
}

fn answer_question(
    question: &Question,
    who: &Respondent,
    so_far: &Answers,
    rng: &mut ChaCha8Rng,
) -> Answer {
    let mut a = Answer::default();
    let code = question.code.as_str();
    let prefix = prefix(code);
    let theme = field(prefix);
    match (&question.kind, question.reference) {
        (QuestionKind::SingleChoice { options }, Some(Reference::OrgKind)) => {
            let chosen = who.kind().map(|k| k.code.to_string());
            a.values.extend(chosen.or_else(|| options.choose(rng).map(|o| o.code.clone())));
        }
        (QuestionKind::MultipleChoice { .. }, Some(Reference::Municipalities)) => {
            a.values = who.places.clone();
        }
        (QuestionKind::Matrix { rows, columns }, _) => {
            let codes: Vec<&str> = columns.iter().map(|c| c.code.as_str()).collect();
            let field = theme.unwrap_or(&NEUTRAL);
            for row in rows {
                if !question.required && rng.gen_bool(0.1) {
                    continue;
                }
                let value = if codes.first() == Some(&"vorhanden") {
                    stock_value(field, &row.code, who, &codes, rng)
                } else if codes.first() == Some(&"1") {
                    let stock = so_far
                        .get(&format!("{prefix}_bestand"))
                        .and_then(|s| s.rows.get(&row.code))
                        .map(String::as_str);
                    need_value(field, &row.code, who, stock, &codes, rng)
                } else {
                    cooperation_value(&row.code, who, &codes, rng)
                };
                a.rows.insert(row.code.clone(), value);
            }
        }
        (QuestionKind::Rating { min, max, cannot_judge, .. }, _) => {
            let (mean, ka) = if code == "koop_vernetzung" {
                (3.4 - 0.7 * who.rural(), 0.08)
            } else {
                let field = theme.unwrap_or(&NEUTRAL);
                (who.need(field, ""), 0.6 * who.unknown(prefix))
            };
            a.values.push(if cannot_judge.is_some() && rng.gen_bool(ka) {
                CANNOT_JUDGE.to_string()
            } else {
                scale(*min, *max, mean, rng).to_string()
            });
        }
        (QuestionKind::MultipleChoice { options, other }, _) => {
            let share = |option: &str| -> f64 {
                if code.ends_with("_huerden") {
                    let field = theme.unwrap_or(&NEUTRAL);
                    let base =
                        field.barriers.iter().find(|(b, _)| *b == option).map_or(0.3, |b| b.1);
                    let rural = field.rural_barriers.contains(&option);
                    (base + if rural { 0.35 * who.rural() } else { 0.0 }).min(0.95)
                } else if code == "sm_sprachen" {
                    texts::language_share(option)
                } else if code == "mit_arbeitsgruppen" {
                    working_group_share(who, option)
                } else {
                    choice_share(code, who, option)
                }
            };
            for o in options {
                if rng.gen_bool(share(&o.code)) {
                    a.values.push(o.code.clone());
                }
            }
            if other.is_some() && rng.gen_bool(0.05) {
                a.other = Some(pick(texts::other(code), rng));
            }
            if a.values.is_empty() && a.other.is_none() && question.required {
                a.values.extend(options.first().map(|o| o.code.clone()));
            }
        }
        (QuestionKind::SingleChoice { options }, _) => {
            let weights: Vec<u32> =
                options.iter().map(|o| single_weight(code, who, &o.code)).collect();
            a.values.extend(options.get(weighted(&weights, rng)).map(|o| o.code.clone()));
        }
        (QuestionKind::YesNo, _) => {
            a.values.push(if rng.gen_bool(yes_share(code, who)) { YES } else { NO }.to_string())
        }
        (QuestionKind::Number { min, max, integer, .. }, _) => {
            let lo = min.unwrap_or(0.0).max(0.0);
            let hi = max.unwrap_or(100.0).max(lo);
            let (from, to) = number_range(code, who).unwrap_or((lo, hi.min(lo + 60.0)));
            let v = rng.gen_range(from..=to.max(from)).clamp(lo, hi);
            // The notation saves store (domain::number::normalise), two decimals at most.
            a.values.push(if *integer {
                format!("{}", v.round() as i64)
            } else {
                format!("{}", (v * 100.0).round() / 100.0)
            });
        }
        (QuestionKind::ShortText { max_len }, _) => {
            a.values.push(truncate(&pick(texts::short(code), rng), *max_len));
        }
        (QuestionKind::LongText { max_len }, _) => {
            let write = if who.knows(prefix) { 0.55 } else { 0.35 };
            if question.required || rng.gen_bool(write) {
                // Gemeinden often write about what is missing there.
                let list = match texts::rural_long(code) {
                    Some(rural) if who.rural() >= 1.0 && rng.gen_bool(0.5) => rural,
                    _ => texts::long(code),
                };
                a.values.push(truncate(&pick(list, rng), *max_len));
            }
        }
    }
    a
}

/// A cell of a stock matrix: "unbekannt" as the organisation's knowledge has it, else
/// "vorhanden" as the theme, municipality and kind make likely, else planned or missing.
fn stock_value(
    field: &Field,
    offer: &str,
    who: &Respondent,
    codes: &[&str],
    rng: &mut ChaCha8Rng,
) -> String {
    let value = if rng.gen_bool(who.unknown(field.prefix)) {
        "unbekannt"
    } else if rng.gen_bool(who.exists(field, offer)) {
        "vorhanden"
    } else if rng.gen_bool(0.2) {
        "geplant"
    } else {
        "nicht_vorhanden"
    };
    let value = if codes.contains(&value) { value } else { codes[rng.gen_range(0..codes.len())] };
    value.to_string()
}

/// A cell of a need matrix: lower where the offer exists, higher where it is missing; "kann
/// ich nicht beurteilen" as the organisation's knowledge has it (more often where it did not
/// know the stock).
fn need_value(
    field: &Field,
    offer: &str,
    who: &Respondent,
    stock: Option<&str>,
    codes: &[&str],
    rng: &mut ChaCha8Rng,
) -> String {
    let cannot_judge = match stock {
        Some("unbekannt") => 0.5,
        _ => 0.6 * who.unknown(field.prefix),
    };
    if codes.contains(&CANNOT_JUDGE) && rng.gen_bool(cannot_judge) {
        return CANNOT_JUDGE.to_string();
    }
    let coupling = match stock {
        Some("vorhanden") => -0.3,
        Some("nicht_vorhanden") => 0.2,
        _ => 0.0,
    };
    let max = codes.iter().filter_map(|c| c.parse::<u8>().ok()).max().unwrap_or(5);
    scale(1, max, who.need(field, offer) + coupling, rng).to_string()
}

/// A cell of the cooperation matrix (rows are kinds of organisation): better in the towns,
/// most often with one's own kind.
fn cooperation_value(
    partner: &str,
    who: &Respondent,
    codes: &[&str],
    rng: &mut ChaCha8Rng,
) -> String {
    let own = who.kind().is_some_and(|k| k.code == partner);
    let none = if own { 0.1 } else { 0.3 + 0.1 * who.rural() };
    let value = if rng.gen_bool(none) {
        "keine"
    } else {
        ["gut", "teils", "schlecht"][weighted(&[45 - 10 * who.rural() as u32, 40, 15], rng)]
    };
    let value = if codes.contains(&value) { value } else { codes[rng.gen_range(0..codes.len())] };
    value.to_string()
}

/// A value on the scale around `mean`, with some noise (about ±0.6 points).
fn scale(min: u8, max: u8, mean: f64, rng: &mut ChaCha8Rng) -> u8 {
    let noise: f64 = (0..3).map(|_| rng.gen_range(-0.7..0.7)).sum();
    (mean + noise).round().clamp(min as f64, max as f64) as u8
}

/// How often a kind of organisation names a target group, an occasion, ...
fn choice_share(question: &str, who: &Respondent, option: &str) -> f64 {
    let kind = who.kind().map_or("", |k| k.code);
    match question {
        "profil_zielgruppen" => match (kind, option) {
            ("kita", "kinder_0_6" | "familien") => 0.9,
            ("schule", "schulkinder" | "jugendliche") => 0.85,
            ("schule", "familien") => 0.5,
            ("arbeitsagentur" | "weiterbildung", "erwachsene" | "junge_erwachsene") => 0.8,
            ("migrationsdienst", "junge_erwachsene" | "gefluechtete" | "eu_zugewanderte") => 0.75,
            ("beratung" | "wohlfahrt", "erwachsene" | "familien" | "gefluechtete") => 0.7,
            ("ehrenamt", "gefluechtete" | "familien") => 0.7,
            ("verein", "jugendliche" | "schulkinder") => 0.6,
            (_, "gefluechtete") => 0.45,
            _ => 0.2,
        },
        "sm_anlaesse" => match (kind, option) {
            ("kita" | "schule", "kita_schule") => 0.95,
            ("gesundheit", "arzt_klinik") => 0.95,
            ("beratung" | "wohlfahrt" | "migrationsdienst", "beratung_soziale_dienste") => 0.9,
            ("kommune", "behoerden") => 0.85,
            (_, "behoerden" | "arzt_klinik") => 0.4,
            _ => 0.25,
        },
        _ => 0.3,
    }
}

/// Working groups one would join: one's own themes, sometimes language mediation.
fn working_group_share(who: &Respondent, group: &str) -> f64 {
    let own = FIELDS.iter().any(|f| f.theme == group && who.knows(f.prefix));
    match group {
        _ if own => 0.25,
        "sprachmittlung" => 0.1,
        "kooperation_netzwerk" => 0.08,
        _ => 0.03,
    }
}

fn single_weight(question: &str, who: &Respondent, option: &str) -> u32 {
    let kind = who.kind().map_or("", |k| k.code);
    match (question, option) {
        ("sm_haeufigkeit", "woechentlich") => match kind {
            "beratung" | "migrationsdienst" | "gesundheit" | "wohlfahrt" => 5,
            "kita" | "schule" => 2,
            _ => 1,
        },
        ("sm_haeufigkeit", "monatlich") => 4,
        ("sm_haeufigkeit", "mehrmals_jahr") => 3,
        ("sm_haeufigkeit", "seltener") => {
            if matches!(kind, "verein" | "ehrenamt" | "sonstige") {
                3
            } else {
                1
            }
        }
        _ => 1,
    }
}

fn yes_share(question: &str, who: &Respondent) -> f64 {
    let kind = who.kind().map_or("", |k| k.code);
    match question {
        "sm_bedarf" => match kind {
            "kita" | "schule" | "beratung" | "gesundheit" | "migrationsdienst" => 0.88,
            "kommune" | "wohlfahrt" | "arbeitsagentur" | "integrationsagentur" => 0.75,
            "verein" => 0.35,
            _ => 0.55,
        },
        "profil_ehrenamt" => match kind {
            "ehrenamt" | "verein" => 0.95,
            "wohlfahrt" | "integrationsrat" => 0.8,
            "arbeitsagentur" | "gesundheit" => 0.15,
            _ => 0.45,
        },
        _ => 0.55,
    }
}

/// Plausible ranges of the default questionnaire's numbers.
fn number_range(question: &str, who: &Respondent) -> Option<(f64, f64)> {
    let kind = who.kind().map_or("", |k| k.code);
    match question {
        "profil_mitarbeitende" => Some(match kind {
            "verein" | "ehrenamt" | "integrationsrat" => (0.0, 2.0),
            "kita" | "kommune" => (1.0, 6.0),
            "schule" => (1.0, 10.0),
            "arbeitsagentur" | "wohlfahrt" | "beratung" => (2.0, 18.0),
            _ => (1.0, 8.0),
        }),
        "profil_ehrenamtliche" => Some(match kind {
            "ehrenamt" => (8.0, 60.0),
            "verein" => (3.0, 30.0),
            _ => (1.0, 12.0),
        }),
        // Weeks of waiting for an integration course: longer where courses are far away.
        "spr_wartezeit" => Some((8.0 + 6.0 * who.rural(), 20.0 + 10.0 * who.rural())),
        _ => None,
    }
}

/// An index drawn with the given weights.
fn weighted(weights: &[u32], rng: &mut ChaCha8Rng) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.gen_range(0..total.max(1));
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    0
}

fn pick(texts: &[&str], rng: &mut ChaCha8Rng) -> String {
    texts.choose(rng).copied().unwrap_or_default().to_string()
}

fn truncate(s: &str, max_len: u32) -> String {
    s.chars().take(max_len as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::default_questionnaire::default_questionnaire;
    use domain::validation::validate_all;
    use rand::SeedableRng;
    use std::collections::{BTreeMap, HashSet};

    #[test]
    fn complete_answers_pass_validation_and_are_deterministic() {
        let q = default_questionnaire();
        let (mut a, mut b) = (ChaCha8Rng::seed_from_u64(7), ChaCha8Rng::seed_from_u64(7));
        let (mut x_gen, mut y_gen) = (Generator::new(&q), Generator::new(&q));
        for _ in 0..300 {
            let x = x_gen.answers(q.page_count(), true, &mut a);
            let y = y_gen.answers(q.page_count(), true, &mut b);
            assert_eq!(x, y);
            assert!(validate_all(&q, &x).is_empty(), "{:?}", validate_all(&q, &x));
        }
    }

    #[test]
    fn answers_spread_over_kinds_and_municipalities() {
        let q = default_questionnaire();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut kinds = HashSet::new();
        let mut municipalities = HashSet::new();
        for _ in 0..2000 {
            let a = answers_for(&q, q.page_count(), true, &mut rng);
            kinds.insert(a["profil_art"].values[0].clone());
            municipalities.extend(a["profil_kommunen"].values.iter().cloned());
        }
        assert_eq!(kinds.len(), 14);
        assert_eq!(municipalities.len(), 17);
    }

    /// Mean of the numeric need ratings and share of "vorhanden" per theme prefix, of `n`
    /// submitted responses, for those whose places pass `keep`.
    fn tallies(
        n: usize,
        keep: impl Fn(&[String]) -> bool,
    ) -> (BTreeMap<&'static str, f64>, BTreeMap<&'static str, f64>) {
        let q = default_questionnaire();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut generator = Generator::new(&q);
        let mut need: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
        let mut stock: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
        for _ in 0..n {
            let a = generator.answers(q.page_count(), true, &mut rng);
            if !keep(&a["profil_kommunen"].values) {
                continue;
            }
            for f in &FIELDS {
                for v in
                    a.get(&format!("{}_bedarf", f.prefix)).into_iter().flat_map(|x| x.rows.values())
                {
                    if let Ok(v) = v.parse::<f64>() {
                        let e = need.entry(f.prefix).or_default();
                        *e = (e.0 + v, e.1 + 1.0);
                    }
                }
                for v in a[&format!("{}_bestand", f.prefix)].rows.values() {
                    let e = stock.entry(f.prefix).or_default();
                    *e = (e.0 + f64::from(u8::from(v == "vorhanden")), e.1 + 1.0);
                }
            }
        }
        let ratio = |m: BTreeMap<&'static str, (f64, f64)>| {
            m.into_iter().map(|(k, (s, c))| (k, s / c)).collect()
        };
        (ratio(need), ratio(stock))
    }

    #[test]
    fn language_and_housing_need_most_and_participation_least() {
        let (need, _) = tallies(3000, |_| true);
        let mean = need.values().sum::<f64>() / need.len() as f64;
        for high in ["spr", "woh"] {
            assert!(need[high] > mean + 0.5, "{high}: {need:?}");
        }
        assert!(need["tei"] < mean - 0.4, "{need:?}");
    }

    #[test]
    fn towns_report_more_offers_than_gemeinden_above_all_in_early_education() {
        let only = |town: bool| {
            move |places: &[String]| {
                places.len() == 1
                    && MUNICIPALITIES.iter().any(|m| m.ags == places[0] && m.is_town == town)
            }
        };
        let (_, towns) = tallies(3000, only(true));
        let (_, gemeinden) = tallies(3000, only(false));
        for f in &FIELDS {
            assert!(towns[f.prefix] > gemeinden[f.prefix], "{}", f.prefix);
        }
        assert!(towns["fbs"] - gemeinden["fbs"] > 0.2, "{towns:?} {gemeinden:?}");
    }

    #[test]
    fn schools_and_kitas_know_early_education_better_than_housing() {
        let q = default_questionnaire();
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut generator = Generator::new(&q);
        let mut unknown: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
        for _ in 0..3000 {
            let a = generator.answers(q.page_count(), true, &mut rng);
            if !matches!(a["profil_art"].values[0].as_str(), "schule" | "kita") {
                continue;
            }
            for prefix in ["fbs", "woh"] {
                for v in a[&format!("{prefix}_bestand")].rows.values() {
                    let e = unknown.entry(prefix).or_default();
                    *e = (e.0 + u32::from(v == "unbekannt"), e.1 + 1);
                }
            }
        }
        let share = |p: &str| unknown[p].0 as f64 / unknown[p].1 as f64;
        assert!(share("fbs") < 0.06 && share("woh") > 0.25, "{unknown:?}");
    }

    #[test]
    fn the_smallest_gemeinden_are_served_alone_by_one_or_two_organisations() {
        let q = default_questionnaire();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut generator = Generator::new(&q);
        let mut alone: BTreeMap<&str, u32> = BTreeMap::new();
        for i in 0..2000 {
            let complete = i % 5 != 0;
            let a = generator.answers(q.page_count(), complete, &mut rng);
            let Some(places) = a.get("profil_kommunen").map(|p| &p.values) else { continue };
            for (small, partner) in [(RHEURDT, KERKEN), (WACHTENDONK, STRAELEN)] {
                if places.iter().any(|p| p == small) && !places.iter().any(|p| p == partner) {
                    assert!(complete, "drafts always name the partner too");
                    *alone.entry(small).or_default() += 1;
                }
            }
        }
        assert_eq!(alone, BTreeMap::from([(RHEURDT, 2), (WACHTENDONK, 1)]));
    }

    #[test]
    fn free_texts_fit_their_theme_and_name_no_one() {
        let q = default_questionnaire();
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut generator = Generator::new(&q);
        let mut seen = HashSet::new();
        for _ in 0..500 {
            let a = generator.answers(q.page_count(), true, &mut rng);
            if let Some(text) = a.get("woh_fehlt") {
                seen.insert(text.values[0].clone());
            }
        }
        assert!(seen.len() >= 5, "{seen:?}");
        assert!(seen.iter().all(|t| texts::long("woh_fehlt").contains(&t.as_str())
            || texts::rural_long("woh_fehlt").unwrap_or_default().contains(&t.as_str())));
        for list in texts::all() {
            for text in list {
                // Contacts are roles at example.org, never a person or a telephone number.
                assert!(!text.contains("Herr ") && !text.contains("Frau "), "{text}");
                assert!(!text.contains('@') || text.contains("@example.org"), "{text}");
                assert!(text.chars().filter(char::is_ascii_digit).nth(5).is_none(), "{text}");
                assert!(!text.contains('"') && !text.contains('\''), "typographic quotes: {text}");
            }
        }
    }
}
