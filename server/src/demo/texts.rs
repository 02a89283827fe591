//! Free texts of the demo responses, per question of the default questionnaire: plausible
//! German statements of professionals, with no personal data (contacts are roles at
//! example.org). Other questionnaires get the general lists.

/// What is missing in a theme (`<prefix>_fehlt`), and the suggestions.
pub fn long(question: &str) -> &'static [&'static str] {
    match question {
        "fbs_fehlt" => &[
            "Rucksack KiTa gibt es bei uns nur in einer Einrichtung; die Wartelisten für die Elterngruppen sind lang.",
            "Für Kinder, die ohne Kita-Platz in die Schule kommen, fehlt ein Vorkurs Deutsch im Sommer vor der Einschulung.",
            "Seiteneinsteigerinnen und Seiteneinsteiger warten oft Wochen auf einen Schulplatz; eine zentrale Beratung würde helfen.",
            "Wir wünschen uns feste Ansprechpersonen in den Schulen für Familien, die neu zugewandert sind.",
            "Sprachsensibler Fachunterricht sollte Teil jeder Fortbildung für Lehrkräfte sein, nicht nur ein freiwilliges Angebot.",
            "Mehr Vernetzung zwischen Kitas und Beratungsstellen wäre hilfreich, etwa durch einen runden Tisch je Kommune.",
            "Elterngespräche gelingen oft nur mit Sprachmittlung, und die ist kurzfristig kaum zu bekommen.",
        ],
        "aus_fehlt" => &[
            "Junge Geflüchtete brechen die Ausbildung oft im ersten Jahr ab, weil die Berufsschule sie sprachlich überfordert.",
            "Ausbildungsbegleitende Hilfen gibt es, aber die Wartezeit ist zu lang; „Gemeinsam klappt’s“ sollte mehr Plätze haben.",
            "Betriebe wünschen sich eine feste Ansprechperson, wenn es um Aufenthaltsfragen ihrer Auszubildenden geht.",
            "Die Anerkennung ausländischer Schulabschlüsse dauert zu lange; in der Zwischenzeit verlieren die Jugendlichen den Anschluss.",
            "Berufsorientierung für neu zugewanderte Jugendliche sollte schon in der Sekundarstufe I beginnen.",
        ],
        "spr_fehlt" => &[
            "Die Wartezeiten auf Integrationskurse sind zu lang; Ehrenamtliche überbrücken das, brauchen aber Begleitung.",
            "Alphabetisierungskurse sind schnell voll; für Frauen mit kleinen Kindern gibt es praktisch keinen Platz.",
            "Sprachkurse mit Kinderbetreuung fehlen fast überall; Mütter bleiben deshalb jahrelang ohne Kurs.",
            "Nach dem Integrationskurs fehlt ein Angebot zum Weiterlernen, das mit einer Arbeitsstelle vereinbar ist, etwa abends oder online.",
            "Das Sprachcafé in der Bücherei wird gut angenommen; es bräuchte mehr solcher niedrigschwelligen Treffpunkte.",
            "Mehrsprachige Informationen über Kursangebote fehlen; viele erfahren nur über Bekannte davon.",
        ],
        "arb_fehlt" => &[
            "Die Anerkennung von Pflegeabschlüssen dauert über ein Jahr; in dieser Zeit arbeiten die Fachkräfte als Hilfskräfte.",
            "Berufsbezogene Sprachkurse gibt es fast nur in Vollzeit; wer schon arbeitet, kann sie nicht besuchen.",
            "Zugewanderte Frauen brauchen Angebote in Teilzeit und mit Kinderbetreuung, um überhaupt einsteigen zu können.",
            "Arbeitgeber fragen oft, welche Unterlagen sie für die Beschäftigung brauchen; eine Lotsenstelle fehlt.",
            "Viele Saisonarbeitskräfte kennen ihre Rechte nicht; mehrsprachige Beratung vor Ort wäre wichtig.",
        ],
        "ges_fehlt" => &[
            "Dolmetschende für Arztbesuche sind kaum kurzfristig zu bekommen, besonders für Tigrinya und Dari.",
            "Auf einen Therapieplatz warten traumatisierte Geflüchtete oft mehr als ein halbes Jahr.",
            "Die Kosten für Sprachmittlung in der Praxis übernimmt niemand; deshalb übersetzen Kinder für ihre Eltern.",
            "Die Workshops zum traumasensiblen Umgang haben unseren Kita-Teams sehr geholfen; wir würden sie gern wiederholen.",
            "Mehrsprachige Informationen zu Vorsorgeuntersuchungen und Impfungen fehlen.",
        ],
        "woh_fehlt" => &[
            "Bezahlbarer Wohnraum fehlt; Familien bleiben zu lange in Gemeinschaftsunterkünften.",
            "Vermieterinnen und Vermieter sagen oft ab, sobald sie den Namen hören; eine Ansprechstelle für beide Seiten fehlt.",
            "Große Familien finden praktisch keine passende Wohnung; es gibt kaum Wohnungen mit fünf oder mehr Zimmern.",
            "Wer einen Wohnberechtigungsschein hat, wartet trotzdem Monate; Begleitung bei der Suche wäre nötig.",
            "Informationen zu Nebenkosten, Heizen und Mülltrennung in mehreren Sprachen würden viele Konflikte vermeiden.",
            "Arbeitskräfte aus dem EU-Ausland wohnen oft in überbelegten Häusern; die Kommune erfährt davon zu spät.",
        ],
        "tei_fehlt" => &[
            "Unsere Ehrenamtlichen sind überlastet und wünschen sich Fortbildungen zu Traumasensibilität.",
            "Sportvereine würden gern mehr zugewanderte Kinder aufnehmen, aber die Beiträge sind für viele Familien zu hoch.",
            "Migrantenorganisationen brauchen Räume und Unterstützung bei Förderanträgen.",
            "Das Begegnungscafé lebt von wenigen Ehrenamtlichen; ohne hauptamtliche Koordination wird es nicht weitergehen.",
            "Der Integrationsrat ist vielen Zugewanderten unbekannt; mehr Information vor den Wahlen wäre wichtig.",
        ],
        "iko_fehlt" => &[
            "Formulare der Verwaltung gibt es nur auf Deutsch; schon eine Übersetzung der wichtigsten würde helfen.",
            "Fortbildungen zur interkulturellen Kompetenz finden statt, aber nur für wenige Mitarbeitende und ohne Folgeangebot.",
            "Unsere Schule gehört zum Netzwerk „Schule ohne Rassismus – Schule mit Courage“; andere Schulen fragen nach unseren Erfahrungen.",
            "Es fehlt eine unabhängige Antidiskriminierungsberatung im Kreis; Betroffene wissen nicht, an wen sie sich wenden können.",
            "Bei Stellenausschreibungen sprechen wir Menschen mit Migrationsgeschichte bisher nicht gezielt an.",
        ],
        "koop_vorschlaege" => &[
            "Ein regelmäßiger runder Tisch aller Akteure in der Kommune, zweimal im Jahr, würde reichen.",
            "Eine gemeinsame Übersicht aller Angebote im Kreis, die aktuell gehalten wird.",
            "Feste Ansprechpersonen im Jobcenter und in der Ausländerbehörde für die Beratungsstellen.",
            "Mehr Austausch zwischen Schulen und Migrationsberatung, etwa über gemeinsame Sprechstunden.",
            "Ein Newsletter des KI mit Terminen und neuen Angeboten.",
        ],
        "mit_anmerkungen" => &[
            "Danke für die Befragung; wir sind gespannt auf die Ergebnisse.",
            "Der Fragebogen war lang, aber gut verständlich.",
            "Bitte stellen Sie die Ergebnisse auch in den Ausschüssen der Gemeinden vor.",
            "Wir würden uns über eine Rückmeldung freuen, was aus den Vorschlägen wird.",
        ],
        _ => GENERAL_LONG,
    }
}

/// What Gemeinden write about the same questions: distance, buses, nothing on site.
pub fn rural_long(question: &str) -> Option<&'static [&'static str]> {
    Some(match question {
        "fbs_fehlt" => &[
            "In unserer Gemeinde gibt es weder Griffbereit noch Rucksack KiTa; Familien müssten dafür in die nächste Stadt fahren.",
            "Die Elterngruppen finden nur in den Städten statt; ohne Auto ist das für viele Mütter nicht erreichbar.",
            "„FIT in Deutsch“ wäre auch bei uns gefragt, aber die Kinder kommen ohne Begleitung nicht zum Standort in der Stadt.",
        ],
        "aus_fehlt" => &[
            "Ausbildungsbetriebe gibt es in der Gemeinde, aber ohne frühe Busverbindung kommen die Jugendlichen nicht hin.",
            "Für die Berufsschule müssen die Auszubildenden weit fahren; ein günstiges Ticket würde helfen.",
        ],
        "spr_fehlt" => &[
            "Es fehlen Sprachkurse mit Kinderbetreuung am Vormittag, vor allem in den kleineren Gemeinden.",
            "Die Busverbindungen zu Kursorten sind schlecht; viele Teilnehmende kommen nicht regelmäßig.",
            "Ein Integrationskurs vor Ort würde sich lohnen, kommt aber wegen zu weniger Anmeldungen nicht zustande.",
        ],
        "arb_fehlt" => &[
            "Die Arbeitsplätze in Logistik und Gartenbau sind ohne Auto kaum erreichbar; Fahrgemeinschaften entstehen nur privat.",
            "Beratung zur Anerkennung gibt es nur in den Städten; für viele ist der Weg dorthin zu weit.",
        ],
        "ges_fehlt" => &[
            "Fachärztinnen und Fachärzte gibt es nur in den Städten; ohne Begleitung finden viele den Weg nicht.",
            "Eine Gesundheitslotsin in der Gemeinde wäre eine große Hilfe, auch für ältere Zugewanderte.",
        ],
        "woh_fehlt" => &[
            "In der Gemeinde gibt es kaum Mietwohnungen; wer eine Wohnung findet, zieht meist in die Stadt.",
            "Die Unterkunft liegt am Ortsrand ohne Busanbindung; Kontakte in die Nachbarschaft entstehen kaum.",
        ],
        "tei_fehlt" => &[
            "Im Dorf gibt es Vereine, aber kaum jemand spricht Zugewanderte gezielt an.",
            "Es fehlen Räume für Begegnung; das Pfarrheim steht nur selten zur Verfügung.",
        ],
        "iko_fehlt" => &["In unserer kleinen Verwaltung gibt es niemanden, der sich um das Thema kümmern kann."],
        "koop_vorschlaege" => &["Die Arbeitsgruppen des KI sollten auch in den Gemeinden tagen, nicht nur in Kleve."],
        _ => return None,
    })
}

pub fn short(question: &str) -> &'static [&'static str] {
    match question {
        "aus_berufe" => &[
            "Pflegefachkraft, Erzieher/in",
            "Kfz-Mechatroniker/in, Fachkraft Lagerlogistik",
            "Medizinische/r Fachangestellte/r, Friseur/in",
            "Elektroniker/in, Anlagenmechaniker/in SHK",
            "Gärtner/in, Landwirt/in",
            "Soziale Arbeit und Informatik (Studium)",
            "Kaufmann/Kauffrau im Einzelhandel, Verkäufer/in",
        ],
        "tei_beispiel" => &[
            "Interkulturelles Frühstück im Familienzentrum, Goch",
            "Sprachcafé in der Stadtbücherei, Kleve",
            "Fahrradwerkstatt mit Geflüchteten, Geldern",
            "Internationaler Kochabend im Jugendzentrum, Emmerich am Rhein",
            "Laufgruppe des Sportvereins für Frauen, Kevelaer",
            "Gemeinschaftsgarten an der Unterkunft, Weeze",
        ],
        // Asks for a contact: fictitious role addresses only.
        "mit_kontakt" => &[
            "Leitung Familienzentrum, familienzentrum@example.org",
            "Schulsozialarbeit, schulsozialarbeit@example.org",
            "Geschäftsstelle, info@example.org",
            "Koordination Ehrenamt, ehrenamt@example.org",
        ],
        _ => GENERAL_SHORT,
    }
}

/// "Other, namely" texts of a multiple choice.
pub fn other(question: &str) -> &'static [&'static str] {
    match question {
        "profil_zielgruppen" => &[
            "Saisonarbeitskräfte",
            "Studierende aus dem Ausland",
            "Alleinerziehende",
            "Spätaussiedlerinnen und Spätaussiedler",
        ],
        "sm_sprachen" => &["Tigrinya", "Bulgarisch", "Serbisch", "Vietnamesisch"],
        "sm_anlaesse" => &["Elternabende", "Gespräche mit Vermietern", "Hausbesuche"],
        q if q.ends_with("_huerden") => &[
            "Häufiger Wechsel im Team",
            "Fehlende Räume",
            "Anmeldung nur online",
            "Lange Bearbeitungszeiten der Behörden",
            "Elterncafé fehlt als Anlaufstelle",
        ],
        _ => &["Theaterprojekt", "Nähcafé", "Fahrradwerkstatt", "Gartenprojekt", "Elterncafé"],
    }
}

/// How often a language is named among those language mediation is needed for.
pub fn language_share(code: &str) -> f64 {
    match code {
        "arabisch" | "ukrainisch" => 0.6,
        "tuerkisch" | "dari_farsi" => 0.45,
        "russisch" | "rumaenisch" | "polnisch" | "kurdisch" => 0.3,
        "albanisch" | "paschtu" | "persisch" | "somalisch" => 0.15,
        _ => 0.05,
    }
}

const GENERAL_LONG: &[&str] = &[
    "Es fehlen Angebote in den kleineren Gemeinden; vieles gibt es nur in den Städten.",
    "Mehr Vernetzung der Akteure vor Ort wäre hilfreich.",
    "Die Finanzierung vieler Angebote ist nur für ein Jahr gesichert.",
];

const GENERAL_SHORT: &[&str] = &[
    "Interkulturelles Frühstück im Stadtteil",
    "Sprachcafé in der Bücherei",
    "Elterncafé im Familienzentrum",
];

/// Every list, for the tests.
#[cfg(test)]
pub fn all() -> Vec<&'static [&'static str]> {
    let questions = [
        "fbs_fehlt",
        "aus_fehlt",
        "spr_fehlt",
        "arb_fehlt",
        "ges_fehlt",
        "woh_fehlt",
        "tei_fehlt",
        "iko_fehlt",
        "koop_vorschlaege",
        "mit_anmerkungen",
        "",
    ];
    let mut lists: Vec<&'static [&'static str]> = Vec::new();
    for q in questions {
        lists.push(long(q));
        lists.extend(rural_long(q));
    }
    for q in ["aus_berufe", "tei_beispiel", "mit_kontakt", "", "profil_zielgruppen", "sm_sprachen"]
    {
        lists.push(short(q));
        lists.push(other(q));
    }
    lists.push(other("sm_anlaesse"));
    lists.push(other("fbs_huerden"));
    lists
}
