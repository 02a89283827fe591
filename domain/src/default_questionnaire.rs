//! The default questionnaire, created on first start: the county-wide needs and inventory
//! analysis ("Bedarfs- und Bestandsanalyse") of the Kommunales Integrationszentrum Kreis Kleve.
//!
//! Page order: profile of the responding organisation, one page per Handlungsfeld (inventory of
//! offers, need per offer, overall need, barriers, what is missing), language and culture
//! mediation, cooperation and network, and finally interest in the working groups.
//!
//! Codes are stable: they are the keys of answers, export columns and conditions. Change the
//! wording freely, but not the codes of a questionnaire that already has answers.

use crate::locale::code_from_label;
use crate::questionnaire::{
    Choice, Condition, Question, QuestionKind, Questionnaire, QuestionnaireStatus, Reference,
    Theme, YES,
};
use crate::reference::{MEDIATION_LANGUAGES, ORG_KINDS};

pub const DEFAULT_SLUG: &str = "bedarfsanalyse-2026";

const INTRO: &str = "Das Kommunale Integrationszentrum (KI) des Kreises Kleve erarbeitet ein \
Integrationskonzept für den gesamten Kreis und möchte dazu von Ihnen erfahren, welche Angebote \
der Integrationsarbeit es in den Kommunen bereits gibt (Bestand) und wo aus Ihrer Sicht \
Unterstützung fehlt (Bedarf). Die Ergebnisse werden in Arbeitsgruppen zu den einzelnen \
Handlungsfeldern gemeinsam mit den Akteuren vor Ort weiterbearbeitet. Veröffentlicht werden sie \
nur zusammengefasst, sodass keine Rückschlüsse auf einzelne Organisationen oder Personen möglich \
sind.";

const CANNOT_JUDGE_LABEL: &str = "kann ich nicht beurteilen";

const OFFERS_TEXT: &str =
    "Welche der folgenden Angebote gibt es in den Kommunen, in denen Sie tätig sind?";
const OFFERS_HELP: &str = "„vorhanden“: Das Angebot läuft bereits. „geplant“: Das Angebot ist \
beschlossen oder in Vorbereitung, hat aber noch nicht begonnen. Wählen Sie „weiß nicht“, wenn \
Ihnen dazu keine Informationen vorliegen.";
const NEED_TEXT: &str = "Wie hoch schätzen Sie den Bedarf an diesen Angeboten ein?";
const NEED_HELP: &str = "Gemeint ist der Bedarf, der über das heute Vorhandene hinausgeht: \
1 bedeutet kein Bedarf, 5 einen sehr hohen Bedarf. Eine Einschätzung aus Ihrer täglichen Arbeit \
genügt.";
const BARRIERS_TEXT: &str = "Welche Hürden erschweren aus Ihrer Sicht die Arbeit oder den Zugang \
zu Angeboten in diesem Handlungsfeld?";
const BARRIERS_OTHER: &str = "Sonstige Hürde, nämlich";
const MULTIPLE_HELP: &str = "Mehrfachnennungen sind möglich.";

const SPRACHMITTLUNG: (&str, &str) = ("sprachmittlung", "Sprach- und Kulturmittlung");
const KOOPERATION: (&str, &str) = ("kooperation_netzwerk", "Kooperation und Netzwerk");

/// The survey the KI runs on first start: open, without deadline.
pub fn default_questionnaire() -> Questionnaire {
    let fields = fields();

    let mut themes = vec![profile()];
    themes.extend(fields.iter().map(field_theme));
    themes.push(language_mediation());
    themes.push(cooperation());

    // Working groups exist per Handlungsfeld, for language mediation and for networking.
    let mut groups: Vec<(&str, &str)> = fields.iter().map(|f| (f.code, f.title)).collect();
    groups.push(SPRACHMITTLUNG);
    groups.push(KOOPERATION);
    themes.push(participation(&groups));

    Questionnaire {
        id: 0,
        slug: DEFAULT_SLUG.to_string(),
        title: "Bedarfs- und Bestandsanalyse der Integrationsarbeit im Kreis Kleve".to_string(),
        intro: INTRO.to_string(),
        duration_minutes: 30,
        status: QuestionnaireStatus::Open,
        deadline: None,
        themes,
    }
}

// ---------------------------------------------------------------------------------------------
// Content
// ---------------------------------------------------------------------------------------------

fn profile() -> Theme {
    theme(
        "profil",
        "Angaben zu Ihrer Organisation",
        "Diese Angaben brauchen wir, um die Antworten nach Art der Organisation und nach \
         Kommunen auswerten zu können.",
        vec![
            question(
                "profil_art",
                "Zu welcher Art von Organisation gehört Ihre Einrichtung?",
                QuestionKind::org_kind_choice(),
            )
            .reference(Reference::OrgKind)
            .help("Bitte wählen Sie die Angabe, die am besten passt.")
            .required(),
            question(
                "profil_kommunen",
                "In welchen Kommunen des Kreises Kleve ist Ihre Organisation tätig?",
                QuestionKind::municipalities_choice(),
            )
            .reference(Reference::Municipalities)
            .help(
                "Mehrfachnennungen sind möglich. Wählen Sie „Kreisweit“, wenn Ihre \
                   Organisation im ganzen Kreis tätig ist.",
            )
            .required(),
            multiple(
                "profil_zielgruppen",
                "Welche Zielgruppen erreichen Sie mit Ihren Angeboten?",
                &[
                    ("kinder_0_6", "Kinder von 0 bis 6 Jahren"),
                    ("schulkinder", "Schulkinder"),
                    ("jugendliche", "Jugendliche"),
                    ("junge_erwachsene", "Junge Erwachsene von 18 bis 27 Jahren"),
                    ("erwachsene", "Erwachsene"),
                    ("familien", "Familien und Eltern"),
                    ("aeltere", "Ältere Menschen"),
                    ("gefluechtete", "Geflüchtete"),
                    ("eu_zugewanderte", "Neuzugewanderte aus der Europäischen Union"),
                    ("frauen", "Frauen"),
                    ("behinderung", "Menschen mit Behinderung"),
                ],
                Some("Sonstige Zielgruppe, nämlich"),
            )
            .help(MULTIPLE_HELP),
            number(
                "profil_mitarbeitende",
                "Wie viele hauptamtliche Mitarbeitende Ihrer Organisation arbeiten im Bereich \
                 Integration?",
                "Personen",
            )
            .help("Bitte zählen Sie Personen, nicht Vollzeitstellen. Eine Schätzung genügt."),
            yes_no(
                "profil_ehrenamt",
                "Arbeiten in Ihrer Organisation Ehrenamtliche in der Integrationsarbeit mit?",
            ),
            number(
                "profil_ehrenamtliche",
                "Wie viele Ehrenamtliche sind das ungefähr?",
                "Personen",
            )
            .help("Eine Schätzung genügt.")
            .shown_if("profil_ehrenamt", &[YES]),
        ],
    )
}

/// A Handlungsfeld: one page with the same structure for every field.
struct Field {
    /// Prefix of the question codes.
    prefix: &'static str,
    code: &'static str,
    title: &'static str,
    intro: &'static str,
    offers_text: &'static str,
    offers: &'static [(&'static str, &'static str)],
    barriers: &'static [(&'static str, &'static str)],
    /// Further questions, shown before the free text on what is missing.
    extra: Vec<Question>,
}

fn fields() -> Vec<Field> {
    vec![
        Field {
            prefix: "fbs",
            code: "fruehe_bildung_schule",
            title: "Frühe Bildung und Schule",
            intro: "In diesem Handlungsfeld geht es um Angebote in Kindertageseinrichtungen, in \
                    der (Vor-)Schule und im Übergang von der Kita in die Schule.",
            offers_text: OFFERS_TEXT,
            offers: &[
                ("griffbereit", "Griffbereit (Eltern-Kind-Programm für Kinder von 1 bis 3 Jahren)"),
                ("rucksack_kita", "Rucksack KiTa (Sprach- und Elternbildung für Kinder von 3 bis 6 Jahren)"),
                ("rucksack_schule", "Rucksack Schule (Sprach- und Elternbildung für Kinder von 6 bis 10 Jahren)"),
                ("fit_in_deutsch", "FerienIntensivTraining „FIT in Deutsch“ (6 bis 18 Jahre)"),
                ("sprachsensibler_unterricht", "Sprachsensibler Fachunterricht"),
                ("seiteneinsteiger", "Beratung von Seiteneinsteigerinnen und Seiteneinsteigern in das Schulsystem"),
            ],
            barriers: &[
                ("sprachbarrieren_eltern", "Verständigungsprobleme in der Zusammenarbeit mit Eltern"),
                ("zu_wenige_plaetze", "Zu wenige Kita- oder Schulplätze"),
                ("fehlende_informationen", "Fehlende Informationen über bestehende Angebote"),
                ("personal_zeit", "Zu wenig Personal oder Zeit"),
                ("erreichbarkeit", "Weite Wege oder schlechte Anbindung an Bus und Bahn"),
                ("finanzierung", "Unsichere Finanzierung von Angeboten"),
            ],
            extra: vec![],
        },
        Field {
            prefix: "aus",
            code: "ausbildung_studium",
            title: "Ausbildung und Studium",
            intro: "In diesem Handlungsfeld geht es um den Übergang von der Schule in Ausbildung \
                    und Studium und um die Begleitung während der Ausbildung.",
            offers_text: OFFERS_TEXT,
            offers: &[
                ("gemeinsam_klappts", "„Gemeinsam klappt’s“ (junge Geflüchtete von 18 bis 27 Jahren auf dem Weg in Ausbildung und Arbeit)"),
                ("berufsorientierung", "Berufsorientierung für neu zugewanderte Jugendliche"),
                ("ausbildungsbegleitung", "Begleitung und Nachhilfe während der Ausbildung"),
                ("sprachfoerderung_ausbildung", "Sprachförderung während der Ausbildung"),
                ("studienberatung", "Beratung zu Studium und Anerkennung ausländischer Schulabschlüsse"),
            ],
            barriers: &[
                ("sprachniveau", "Deutschkenntnisse reichen für Berufsschule oder Studium nicht aus"),
                ("aufenthaltsstatus", "Ungeklärter Aufenthaltsstatus oder fehlende Ausbildungserlaubnis"),
                ("anerkennung", "Schulabschlüsse aus dem Ausland werden nicht anerkannt"),
                ("betriebe", "Zu wenige Betriebe, die Zugewanderte ausbilden"),
                ("begleitung", "Fehlende Begleitung während der Ausbildung"),
                ("finanzielle_lage", "Finanzielle Gründe (z. B. Ausbildungsvergütung reicht nicht zum Leben)"),
            ],
            extra: vec![short_text(
                "aus_berufe",
                "Nach welchen Ausbildungsberufen oder Studiengängen fragen die Menschen, mit \
                 denen Sie arbeiten, besonders häufig?",
                200,
            )],
        },
        Field {
            prefix: "spr",
            code: "sprache_verstaendigung",
            title: "Sprache und Verständigung",
            intro: "In diesem Handlungsfeld geht es um Deutschkurse, niedrigschwellige \
                    Sprachangebote und die Verständigung im Alltag.",
            offers_text: OFFERS_TEXT,
            offers: &[
                ("integrationskurse", "Integrationskurse"),
                ("kurse_kinderbetreuung", "Sprachkurse mit Kinderbetreuung"),
                ("alphabetisierung", "Alphabetisierungskurse"),
                ("niedrigschwellig", "Niedrigschwellige Sprachangebote (z. B. Sprachcafé, Gesprächskreis)"),
                ("mehrsprachige_informationen", "Mehrsprachige Informationsmaterialien"),
                ("herkunftssprachen", "Herkunftssprachlicher Unterricht"),
            ],
            barriers: &[
                ("wartezeiten", "Lange Wartezeiten auf einen Kursplatz"),
                ("kinderbetreuung", "Keine Kinderbetreuung während der Kurse"),
                ("kurszeiten", "Kurszeiten passen nicht zu Arbeit oder Familie"),
                ("wege", "Weite Wege zum Kursort"),
                ("kursniveau", "Kein Kurs auf dem passenden Niveau"),
                ("fehlende_informationen", "Fehlende Informationen über bestehende Angebote"),
            ],
            extra: vec![number_range(
                "spr_wartezeit",
                "Wie viele Wochen warten die Menschen, die Sie beraten, derzeit ungefähr auf \
                 einen Platz im Integrationskurs?",
                0.0,
                104.0,
                "Wochen",
            )
            .help("Eine Schätzung genügt. Lassen Sie das Feld leer, wenn Sie es nicht wissen.")],
        },
        Field {
            prefix: "arb",
            code: "arbeit_beruf",
            title: "Arbeit und Beruf",
            intro: "In diesem Handlungsfeld geht es um den Zugang zum Arbeitsmarkt, um die \
                    Anerkennung von Abschlüssen und um berufliche Qualifizierung.",
            offers_text: OFFERS_TEXT,
            offers: &[
                ("anerkennungsberatung", "Beratung zur Anerkennung ausländischer Berufsabschlüsse"),
                ("arbeitsmarktberatung", "Beratung und Vermittlung in Arbeit für Zugewanderte"),
                ("berufssprachkurse", "Berufsbezogene Sprachkurse"),
                ("qualifizierung", "Qualifizierung und Nachqualifizierung"),
                ("arbeitgeberberatung", "Beratung von Arbeitgebern zur Beschäftigung Zugewanderter"),
                ("frauen_berufseinstieg", "Angebote zum Berufseinstieg für zugewanderte Frauen"),
            ],
            barriers: &[
                ("anerkennung", "Abschlüsse werden nicht oder nur langsam anerkannt"),
                ("arbeitserlaubnis", "Fehlende Arbeitserlaubnis oder ungeklärter Aufenthalt"),
                ("sprachniveau", "Deutschkenntnisse reichen für den Beruf nicht aus"),
                ("vorbehalte", "Vorbehalte bei Arbeitgebern"),
                ("kinderbetreuung", "Fehlende Kinderbetreuung"),
                ("mobilitaet", "Arbeitsorte sind ohne Auto schwer erreichbar"),
            ],
            extra: vec![],
        },
        Field {
            prefix: "ges",
            code: "gesundheit",
            title: "Gesundheit",
            intro: "In diesem Handlungsfeld geht es um den Zugang zur gesundheitlichen \
                    Versorgung und um psychosoziale Unterstützung.",
            offers_text: OFFERS_TEXT,
            offers: &[
                ("trauma_workshops_kita", "Workshops für Kitas zum traumasensiblen Umgang mit Kindern"),
                ("psychosoziale_versorgung", "Psychosoziale Beratung und Therapie für Geflüchtete"),
                ("sprachmittlung_gesundheit", "Sprach- und Kulturmittlung bei Arzt- und Klinikbesuchen"),
                ("gesundheitsinformationen", "Mehrsprachige Informationen zum Gesundheitssystem"),
                ("gesundheitslotsen", "Gesundheitslotsinnen und Gesundheitslotsen mit Migrationsgeschichte"),
            ],
            barriers: &[
                ("verstaendigung", "Verständigungsprobleme in Praxis und Klinik"),
                ("therapieplaetze", "Lange Wartezeiten auf Therapieplätze"),
                ("kosten_sprachmittlung", "Ungeklärte Übernahme der Kosten für Sprachmittlung"),
                ("wissen_system", "Wenig Wissen über das Gesundheitssystem"),
                ("vorbehalte_hilfe", "Scham oder Vorbehalte gegenüber psychologischer Hilfe"),
                ("wege", "Weite Wege zu Fachärztinnen und Fachärzten"),
            ],
            extra: vec![],
        },
        Field {
            prefix: "woh",
            code: "wohnen",
            title: "Wohnen",
            intro: "In diesem Handlungsfeld geht es um die Versorgung mit Wohnraum und um das \
                    Zusammenleben in der Nachbarschaft.",
            offers_text: OFFERS_TEXT,
            offers: &[
                ("wohnungssuche", "Beratung und Begleitung bei der Wohnungssuche"),
                ("vermieter", "Ansprechpersonen für Vermieterinnen und Vermieter"),
                ("unterkunft_betreuung", "Soziale Betreuung in Gemeinschaftsunterkünften"),
                ("mietrecht", "Informationen zu Mietrecht, Nebenkosten und Mülltrennung"),
                ("nachbarschaft", "Nachbarschafts- und Quartiersprojekte"),
            ],
            barriers: &[
                ("wohnraum", "Zu wenig bezahlbarer Wohnraum"),
                ("diskriminierung", "Benachteiligung bei der Wohnungsvergabe"),
                ("unterkunft_dauer", "Langer Verbleib in Gemeinschaftsunterkünften"),
                ("wissen_mietrecht", "Wenig Wissen über Rechte und Pflichten als Mieterin oder Mieter"),
                ("sprachbarrieren", "Verständigungsprobleme mit Vermietung und Hausverwaltung"),
                ("anbindung", "Schlechte Anbindung an Bus und Bahn"),
            ],
            extra: vec![],
        },
        Field {
            prefix: "tei",
            code: "teilhabe_ehrenamt",
            title: "Gesellschaftliche Teilhabe und Ehrenamt",
            intro: "In diesem Handlungsfeld geht es um Begegnung, Freizeit, Sport, politische \
                    Mitwirkung und bürgerschaftliches Engagement.",
            offers_text: OFFERS_TEXT,
            offers: &[
                ("sport", "Sport- und Bewegungsangebote, die Zugewanderte gezielt ansprechen"),
                ("begegnung", "Begegnungsangebote (z. B. Begegnungscafé, interkulturelle Feste)"),
                ("patenschaften", "Patenschafts- und Mentoringprogramme"),
                ("migrantenorganisationen", "Unterstützung von Migrantenorganisationen"),
                ("ehrenamt_begleitung", "Schulung und Begleitung von Ehrenamtlichen"),
                ("politische_teilhabe", "Angebote zur politischen Teilhabe (z. B. Integrationsrat)"),
            ],
            barriers: &[
                ("fehlende_informationen", "Fehlende Informationen über Angebote vor Ort"),
                ("kosten", "Kosten (z. B. Mitgliedsbeiträge, Fahrtkosten)"),
                ("sprachbarrieren", "Verständigungsprobleme"),
                ("ehrenamt_rueckgang", "Zu wenige Ehrenamtliche oder nachlassendes Engagement"),
                ("raeume", "Fehlende Räume"),
                ("hauptamt", "Zu wenig hauptamtliche Begleitung des Ehrenamts"),
            ],
            extra: vec![short_text(
                "tei_beispiel",
                "Kennen Sie ein gelungenes Angebot in Ihrer Kommune, das anderen als Vorbild \
                 dienen könnte?",
                200,
            )
            .help("Bitte nennen Sie den Namen des Angebots und den Ort.")],
        },
        Field {
            prefix: "iko",
            code: "interkulturelle_oeffnung",
            title: "Interkulturelle Öffnung",
            intro: "In diesem Handlungsfeld geht es darum, wie Verwaltungen, Einrichtungen und \
                    Vereine sich für Menschen jeder Herkunft öffnen.",
            offers_text: "Welche der folgenden Angebote und Maßnahmen gibt es in Ihrer \
                          Organisation oder in den Kommunen, in denen Sie tätig sind?",
            offers: &[
                ("schule_ohne_rassismus", "Netzwerk „Schule ohne Rassismus – Schule mit Courage“"),
                ("fortbildungen", "Fortbildungen zu interkultureller Kompetenz für Mitarbeitende"),
                ("antidiskriminierung", "Antidiskriminierungsberatung"),
                ("mehrsprachige_ansprache", "Mehrsprachige Ansprache (Internetseite, Formulare, Aushänge)"),
                ("personalgewinnung", "Gewinnung von Personal mit Migrationsgeschichte"),
                ("leitbild", "Leitbild oder Konzept zur interkulturellen Öffnung"),
            ],
            barriers: &[
                ("zeit_fortbildung", "Fehlende Zeit für Fortbildungen"),
                ("kosten_uebersetzung", "Fehlende Mittel für Übersetzungen"),
                ("leitung", "Wenig Unterstützung durch die Leitungsebene"),
                ("unsicherheit", "Unsicherheit im Umgang mit Vielfalt"),
                ("ansprechpersonen", "Keine festen Ansprechpersonen für das Thema"),
                ("vorbehalte", "Vorbehalte im Team oder in der Kundschaft"),
            ],
            extra: vec![],
        },
    ]
}

/// The page of a Handlungsfeld: inventory, need per offer, overall need, barriers, extras and
/// what is missing.
fn field_theme(f: &Field) -> Theme {
    let code = |suffix: &str| format!("{}_{suffix}", f.prefix);
    let mut questions = vec![
        matrix(&code("bestand"), f.offers_text, f.offers, stock_columns())
            .help(OFFERS_HELP)
            .required(),
        matrix(&code("bedarf"), NEED_TEXT, f.offers, need_columns()).help(NEED_HELP),
        rating(
            &code("gesamt"),
            &format!("Wie hoch ist der Bedarf im Handlungsfeld „{}“ insgesamt?", f.title),
            "kein Bedarf",
            "sehr hoher Bedarf",
        )
        .required(),
        multiple(&code("huerden"), BARRIERS_TEXT, f.barriers, Some(BARRIERS_OTHER))
            .help(MULTIPLE_HELP),
    ];
    questions.extend(f.extra.iter().cloned());
    questions.push(
        long_text(
            &code("fehlt"),
            &format!(
                "Was fehlt aus Ihrer Sicht im Handlungsfeld „{}“, und was schlagen Sie vor?",
                f.title
            ),
            2000,
        )
        .help(
            "Zum Beispiel Angebote, Zielgruppen, die nicht erreicht werden, oder Kommunen, \
               in denen etwas fehlt.",
        ),
    );
    theme(f.code, f.title, f.intro, questions)
}

fn language_mediation() -> Theme {
    let (code, title) = SPRACHMITTLUNG;
    let languages: Vec<(String, &str)> =
        MEDIATION_LANGUAGES.iter().map(|l| (code_from_label(l), *l)).collect();
    let languages: Vec<(&str, &str)> = languages.iter().map(|(c, l)| (c.as_str(), *l)).collect();
    theme(
        code,
        title,
        "Das KI vermittelt ehrenamtliche Sprach- und Kulturmittlerinnen und -mittler, die \
         Gespräche in sozialen Diensten, im Gesundheitswesen, in Kitas und Schulen begleiten.",
        vec![
            yes_no(
                "sm_bedarf",
                "Benötigt Ihre Organisation in ihrer Arbeit Sprach- und Kulturmittlung?",
            )
            .help(
                "Gemeint ist die Unterstützung von Gesprächen durch Personen, die die Sprache \
                   und den kulturellen Hintergrund der Beteiligten kennen.",
            )
            .required(),
            multiple(
                "sm_sprachen",
                "Für welche Sprachen benötigen Sie Sprach- und Kulturmittlung?",
                &languages,
                Some("Weitere Sprache, nämlich"),
            )
            .help(MULTIPLE_HELP)
            .shown_if("sm_bedarf", &[YES]),
            single(
                "sm_haeufigkeit",
                "Wie häufig benötigen Sie Sprach- und Kulturmittlung?",
                &[
                    ("woechentlich", "wöchentlich oder häufiger"),
                    ("monatlich", "etwa monatlich"),
                    ("mehrmals_jahr", "mehrmals im Jahr"),
                    ("seltener", "seltener"),
                ],
            )
            .help("Eine Schätzung genügt.")
            .shown_if("sm_bedarf", &[YES]),
            multiple(
                "sm_anlaesse",
                "Bei welchen Anlässen benötigen Sie Sprach- und Kulturmittlung?",
                &[
                    ("beratung_soziale_dienste", "Beratung in sozialen Diensten"),
                    ("kita_schule", "Gespräche in Kita und Schule"),
                    ("arzt_klinik", "Arzt- und Klinikbesuche"),
                    ("behoerden", "Behördengänge"),
                ],
                Some("Sonstiger Anlass, nämlich"),
            )
            .help(MULTIPLE_HELP)
            .shown_if("sm_bedarf", &[YES]),
        ],
    )
}

fn cooperation() -> Theme {
    let (code, title) = KOOPERATION;
    let partners: Vec<(&str, &str)> =
        ORG_KINDS.iter().filter(|k| k.code != "sonstige").map(|k| (k.code, k.label)).collect();
    theme(
        code,
        title,
        "Integrationsarbeit gelingt im Zusammenspiel vieler Akteure; hier fragen wir nach Ihrer \
         Zusammenarbeit mit anderen.",
        vec![
            matrix(
                "koop_partner",
                "Mit welchen Akteuren arbeiten Sie zusammen, und wie gut gelingt die \
                 Zusammenarbeit?",
                &partners,
                vec![
                    Choice::new("gut", "gut"),
                    Choice::new("teils", "teils, teils"),
                    Choice::new("schlecht", "schlecht"),
                    Choice::new("keine", "keine Zusammenarbeit"),
                ],
            )
            .help(
                "Wählen Sie „keine Zusammenarbeit“, wenn Sie mit dieser Art von Akteuren \
                   bisher nicht zusammenarbeiten.",
            ),
            rating(
                "koop_vernetzung",
                "Wie bewerten Sie die Vernetzung der Integrationsarbeit in Ihrer Kommune \
                 insgesamt?",
                "sehr schlecht",
                "sehr gut",
            )
            .help(
                "Wenn Sie in mehreren Kommunen tätig sind, antworten Sie bitte für die \
                   Kommune, in der Sie am meisten tätig sind.",
            ),
            long_text(
                "koop_vorschlaege",
                "Was würde die Zusammenarbeit und Vernetzung aus Ihrer Sicht verbessern?",
                2000,
            ),
        ],
    )
}

fn participation(groups: &[(&str, &str)]) -> Theme {
    let group_codes: Vec<&str> = groups.iter().map(|(c, _)| *c).collect();
    theme(
        "mitwirkung",
        "Mitwirkung in den Arbeitsgruppen",
        "Die Ergebnisse der Befragung werden in Arbeitsgruppen zu den Handlungsfeldern \
         weiterbearbeitet, und wir freuen uns über Ihre Mitwirkung.",
        vec![
            multiple(
                "mit_arbeitsgruppen",
                "In welchen Arbeitsgruppen möchten Sie mitwirken?",
                groups,
                None,
            )
            .help(
                "Die Angabe ist freiwillig und verpflichtet Sie zu nichts. Mehrfachnennungen \
                   sind möglich.",
            ),
            short_text(
                "mit_kontakt",
                "An wen dürfen wir die Einladung zu den Arbeitsgruppen richten?",
                200,
            )
            .help(
                "Bitte nennen Sie Namen und E-Mail-Adresse. Wir verwenden diese Angabe nur, \
                   um Sie zu den Arbeitsgruppen einzuladen.",
            )
            .shown_if("mit_arbeitsgruppen", &group_codes)
            .reference(Reference::Personal),
            long_text("mit_anmerkungen", "Was möchten Sie uns noch mitteilen?", 2000),
        ],
    )
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

fn stock_columns() -> Vec<Choice> {
    choices(&[
        ("vorhanden", "vorhanden"),
        ("geplant", "geplant"),
        ("nicht_vorhanden", "nicht vorhanden"),
        ("unbekannt", "weiß nicht"),
    ])
}

fn need_columns() -> Vec<Choice> {
    choices(&[
        ("1", "1 – kein Bedarf"),
        ("2", "2 – geringer Bedarf"),
        ("3", "3 – mittlerer Bedarf"),
        ("4", "4 – hoher Bedarf"),
        ("5", "5 – sehr hoher Bedarf"),
        (crate::questionnaire::CANNOT_JUDGE, CANNOT_JUDGE_LABEL),
    ])
}

fn choices(pairs: &[(&str, &str)]) -> Vec<Choice> {
    pairs.iter().map(|(code, label)| Choice::new(*code, *label)).collect()
}

fn theme(code: &str, title: &str, intro: &str, questions: Vec<Question>) -> Theme {
    Theme {
        code: code.to_string(),
        title: title.to_string(),
        intro: Some(intro.to_string()),
        questions,
    }
}

/// An optional question without help, condition or reference.
fn question(code: &str, text: &str, kind: QuestionKind) -> Question {
    Question {
        code: code.to_string(),
        text: text.to_string(),
        help: None,
        required: false,
        kind,
        condition: None,
        reference: None,
    }
}

fn single(code: &str, text: &str, options: &[(&str, &str)]) -> Question {
    question(code, text, QuestionKind::SingleChoice { options: choices(options) })
}

fn multiple(code: &str, text: &str, options: &[(&str, &str)], other: Option<&str>) -> Question {
    question(
        code,
        text,
        QuestionKind::MultipleChoice {
            options: choices(options),
            other: other.map(str::to_string),
        },
    )
}

/// A rating from 1 to 5 with a "cannot judge" option.
fn rating(code: &str, text: &str, min_label: &str, max_label: &str) -> Question {
    question(
        code,
        text,
        QuestionKind::Rating {
            min: 1,
            max: 5,
            min_label: min_label.to_string(),
            max_label: max_label.to_string(),
            cannot_judge: Some(CANNOT_JUDGE_LABEL.to_string()),
        },
    )
}

fn matrix(code: &str, text: &str, rows: &[(&str, &str)], columns: Vec<Choice>) -> Question {
    question(code, text, QuestionKind::Matrix { rows: choices(rows), columns })
}

/// A count of people or things: a whole number from 0 to 10,000.
fn number(code: &str, text: &str, unit: &str) -> Question {
    number_range(code, text, 0.0, 10_000.0, unit)
}

fn number_range(code: &str, text: &str, min: f64, max: f64, unit: &str) -> Question {
    question(
        code,
        text,
        QuestionKind::Number {
            min: Some(min),
            max: Some(max),
            unit: Some(unit.to_string()),
            integer: true,
        },
    )
}

fn short_text(code: &str, text: &str, max_len: u32) -> Question {
    question(code, text, QuestionKind::ShortText { max_len })
}

fn long_text(code: &str, text: &str, max_len: u32) -> Question {
    question(code, text, QuestionKind::LongText { max_len })
}

fn yes_no(code: &str, text: &str) -> Question {
    question(code, text, QuestionKind::YesNo)
}

/// Chained settings on a built question, so that the content reads like a list.
trait Build {
    fn required(self) -> Self;
    fn help(self, help: &str) -> Self;
    fn shown_if(self, question: &str, any_of: &[&str]) -> Self;
    fn reference(self, reference: Reference) -> Self;
}

impl Build for Question {
    fn required(self) -> Self {
        Question { required: true, ..self }
    }

    fn help(self, help: &str) -> Self {
        Question { help: Some(help.to_string()), ..self }
    }

    fn shown_if(self, question: &str, any_of: &[&str]) -> Self {
        Question {
            condition: Some(Condition {
                question: question.to_string(),
                row: None,
                any_of: any_of.iter().map(|v| v.to_string()).collect(),
            }),
            ..self
        }
    }

    fn reference(self, reference: Reference) -> Self {
        Question { reference: Some(reference), ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashSet};

    #[test]
    fn structure_has_no_problems() {
        let q = default_questionnaire();
        assert_eq!(q.check(), Vec::<String>::new());
        assert_eq!(q.id, 0);
        assert_eq!(q.slug, "bedarfsanalyse-2026");
        assert_eq!(q.status, QuestionnaireStatus::Open);
        assert!(q.deadline.is_none());
        assert_eq!(q.themes.first().unwrap().code, "profil");
        assert_eq!(q.themes.last().unwrap().code, "mitwirkung");
    }

    #[test]
    fn question_count_is_reasonable() {
        let n = default_questionnaire().questions().count();
        assert!((50..=90).contains(&n), "{n} Fragen");
    }

    #[test]
    fn every_kind_is_used() {
        let q = default_questionnaire();
        let used: BTreeSet<&str> = q.questions().map(|q| q.kind.name()).collect();
        for kind in [
            "single_choice",
            "multiple_choice",
            "rating",
            "matrix",
            "number",
            "short_text",
            "long_text",
            "yes_no",
        ] {
            assert!(used.contains(kind), "{kind} fehlt");
        }
        assert!(q
            .questions()
            .any(|q| matches!(&q.kind, QuestionKind::MultipleChoice { other: Some(_), .. })));
        assert!(q
            .questions()
            .any(|q| matches!(&q.kind, QuestionKind::Rating { cannot_judge: Some(_), .. })));
        assert!(q.questions().any(|q| matches!(
            &q.kind,
            QuestionKind::Number { min: Some(_), max: Some(_), unit: Some(_), .. }
        )));
    }

    #[test]
    fn has_conditions() {
        let q = default_questionnaire();
        assert!(q.questions().filter(|q| q.condition.is_some()).count() >= 3);
    }

    #[test]
    fn profile_references_use_reference_data() {
        let q = default_questionnaire();
        let kind = q.question_with_reference(Reference::OrgKind).expect("Art der Organisation");
        assert_eq!(kind.kind, QuestionKind::org_kind_choice());
        assert!(kind.required);
        let towns = q.question_with_reference(Reference::Municipalities).expect("Kommunen");
        assert_eq!(towns.kind, QuestionKind::municipalities_choice());
        assert!(towns.required);
        assert_eq!(q.page_of(&kind.code), Some(0));
        assert_eq!(q.page_of(&towns.code), Some(0));
    }

    #[test]
    fn codes_are_unique() {
        let q = default_questionnaire();
        let mut seen = HashSet::new();
        for question in q.questions() {
            assert!(seen.insert(question.code.as_str()), "{} doppelt", question.code);
        }
        let themes: HashSet<&str> = q.themes.iter().map(|t| t.code.as_str()).collect();
        assert_eq!(themes.len(), q.themes.len());
    }

    #[test]
    fn field_pages_have_stock_and_need_for_the_same_offers() {
        let q = default_questionnaire();
        let fields: Vec<&Theme> = q.themes[1..=8].iter().collect();
        for theme in fields {
            let matrices: Vec<&Question> =
                theme.questions.iter().filter(|q| q.kind.name() == "matrix").collect();
            assert_eq!(matrices.len(), 2, "{}", theme.code);
            let (
                QuestionKind::Matrix { rows: stock_rows, columns: stock },
                QuestionKind::Matrix { rows: need_rows, columns: need },
            ) = (&matrices[0].kind, &matrices[1].kind)
            else {
                unreachable!()
            };
            assert!(matrices[0].required && !matrices[1].required);
            assert!((3..=6).contains(&stock_rows.len()), "{}", theme.code);
            assert_eq!(stock_rows, need_rows);
            let codes = |c: &[Choice]| c.iter().map(|c| c.code.clone()).collect::<Vec<_>>();
            assert_eq!(codes(stock), ["vorhanden", "geplant", "nicht_vorhanden", "unbekannt"]);
            assert_eq!(codes(need), ["1", "2", "3", "4", "5", "ka"]);
            let overall = theme.questions.iter().find(|q| q.kind.name() == "rating").unwrap();
            assert!(overall.required);
            assert!(theme
                .questions
                .iter()
                .any(|q| q.kind == QuestionKind::LongText { max_len: 2000 }));
            assert!(theme.intro.is_some());
        }
    }

    #[test]
    fn language_mediation_offers_all_languages() {
        let q = default_questionnaire();
        let QuestionKind::MultipleChoice { options, other } =
            &q.question("sm_sprachen").unwrap().kind
        else {
            panic!("sm_sprachen ist keine Mehrfachauswahl")
        };
        assert_eq!(options.len(), MEDIATION_LANGUAGES.len());
        assert!(options.iter().any(|o| o.code == "tuerkisch" && o.label == "Türkisch"));
        assert!(other.is_some());
        assert!(q.question("sm_bedarf").unwrap().required);
    }

    #[test]
    fn cooperation_rows_are_org_kinds_without_other() {
        let q = default_questionnaire();
        let QuestionKind::Matrix { rows, .. } = &q.question("koop_partner").unwrap().kind else {
            panic!("koop_partner ist keine Matrix")
        };
        assert_eq!(rows.len(), ORG_KINDS.len() - 1);
        assert!(rows.iter().all(|r| r.code != "sonstige"));
    }

    #[test]
    fn contact_is_asked_when_any_working_group_is_chosen() {
        let q = default_questionnaire();
        let groups = q.question("mit_arbeitsgruppen").unwrap();
        let codes: Vec<String> = groups.kind.choices().into_iter().map(|c| c.code).collect();
        let theme_codes: Vec<String> =
            q.themes[1..q.themes.len() - 1].iter().map(|t| t.code.clone()).collect();
        assert_eq!(codes, theme_codes);
        let contact = q.question("mit_kontakt").unwrap();
        assert_eq!(contact.condition.as_ref().unwrap().any_of, codes);

        let mut answers = crate::answers::Answers::new();
        assert!(!q.is_visible(contact, &answers));
        answers.entry("mit_arbeitsgruppen".into()).or_default().values.push("wohnen".into());
        assert!(q.is_visible(contact, &answers));
    }

    #[test]
    fn only_the_agreed_questions_are_required() {
        let q = default_questionnaire();
        let required: BTreeSet<String> =
            q.questions().filter(|q| q.required).map(|q| q.code.clone()).collect();
        let mut expected: BTreeSet<String> =
            ["profil_art", "profil_kommunen", "sm_bedarf"].map(String::from).into();
        for prefix in ["fbs", "aus", "spr", "arb", "ges", "woh", "tei", "iko"] {
            expected.insert(format!("{prefix}_bestand"));
            expected.insert(format!("{prefix}_gesamt"));
        }
        assert_eq!(required, expected);
    }

    #[test]
    fn texts_use_typographic_quotes() {
        let q = default_questionnaire();
        let mut texts = vec![q.title.clone(), q.intro.clone()];
        for theme in &q.themes {
            texts.push(theme.title.clone());
            texts.extend(theme.intro.clone());
            for question in &theme.questions {
                texts.push(question.text.clone());
                texts.extend(question.help.clone());
                texts.extend(question.kind.choices().into_iter().map(|c| c.label));
            }
        }
        for text in texts {
            assert!(
                !text.contains('"') && !text.contains('\''),
                "gerade Anführungszeichen: {text}"
            );
            assert!(!text.contains("  "), "doppeltes Leerzeichen: {text}");
            assert_eq!(text.trim(), text, "Leerraum am Rand: {text}");
        }
    }

    #[test]
    fn survives_a_json_round_trip() {
        let q = default_questionnaire();
        let json = serde_json::to_string(&q).unwrap();
        let back: Questionnaire = serde_json::from_str(&json).unwrap();
        assert_eq!(back, q);
    }
}
