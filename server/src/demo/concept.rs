//! The demo integration concept: for five themes the working group's introduction, evidence
//! taken over from the dashboards of the generated responses, findings citing it, goals, and
//! measures with the county's programmes, periods, budgets, progress notes and indicators.
//!
//! Everything goes through the same use cases as the pages ([`Staff::take_evidence`],
//! `save_finding`, ...), so revisions, the audit log and the evidence rules hold: a figure the
//! dashboards withhold never becomes evidence, and the stored value is the one they show. The
//! texts are written for the story of [`super::story`]; they name no figures themselves, the
//! cited evidence does.

use super::story::{
    BEDBURG_HAU, EMMERICH, GELDERN, GOCH, ISSUM, KERKEN, KLEVE, KRANENBURG, UEDEM, WEEZE,
};
use backend::staff::{FormOutcome, Staff};
use domain::concept::{
    EvidenceForm, FindingForm, GoalForm, IndicatorForm, IndicatorValueForm, IntroductionForm,
    MeasureForm, MeasureStatus, NoteForm,
};
use domain::default_questionnaire::DEFAULT_SLUG;
use domain::locale::format_decimal;
use domain::staff::{Principal, Role};
use domain::stats::{MEAN_PLACES, PERCENT_PLACES};
use domain::AppError;
use MeasureStatus::{Deferred, Done, InProgress, Planned, Sustained};

/// The audit log's actor for what the command line does.
pub const ACTOR: &str = "Kommandozeile (server demo)";

/// A figure of the dashboards, as the evidence form names it.
struct Figure {
    /// The question; empty for a heat-map cell.
    question: &'static str,
    /// The option, matrix row or `row:column`; for a heat-map cell the AGS (empty: the county).
    item: &'static str,
    /// The view: `gemeinde=…`, `art=…` or empty for the whole county.
    view: &'static str,
}

const fn figure(question: &'static str, item: &'static str, view: &'static str) -> Figure {
    Figure { question, item, view }
}

enum Baseline {
    /// A value of the theme's evidence (by its index in [`ThemeStory::evidence`]).
    Evidence(usize),
    /// A value from elsewhere: (value as typed, date, source).
    Stated(&'static str, &'static str, &'static str),
}

struct Indicator {
    name: &'static str,
    unit: &'static str,
    baseline: Baseline,
    target: &'static str,
    /// Later values: (date, value as typed).
    values: &'static [(&'static str, &'static str)],
}

struct Measure {
    title: &'static str,
    description: &'static str,
    responsible: &'static str,
    partners: &'static str,
    /// AGS codes; empty: county-wide.
    places: &'static [&'static str],
    starts: &'static str,
    ends: &'static str,
    budget: &'static str,
    status: MeasureStatus,
    /// Progress notes: (date, text).
    notes: &'static [(&'static str, &'static str)],
    indicators: &'static [Indicator],
}

struct Goal {
    title: &'static str,
    description: &'static str,
    measures: &'static [Measure],
}

/// One theme's chapter as its working group writes it.
struct ThemeStory {
    theme: &'static str,
    /// Who takes the evidence and writes the notes.
    group: &'static str,
    introduction: &'static str,
    evidence: &'static [Figure],
    /// Text and the evidence it cites (indices into `evidence`).
    findings: &'static [(&'static str, &'static [usize])],
    goals: &'static [Goal],
}

const NO_INDICATORS: &[Indicator] = &[];

const STORIES: &[ThemeStory] = &[
    ThemeStory {
        theme: "fruehe_bildung_schule",
        group: "AG Frühe Bildung und Schule",
        introduction: "Frühe Bildung ist einer der beiden Schwerpunkte des KI („Integration durch Bildung“). Die Arbeitsgruppe hat die Ergebnisse der Befragung im November 2026 mit Kita-Leitungen, Schulen und Familienzentren beraten. Im Mittelpunkt steht, dass die Programme der frühen Sprachbildung vor allem in den Städten laufen, während die kleineren Gemeinden kaum versorgt sind.",
        evidence: &[
            // A town (Kleve) against a Gemeinde (Uedem).
            figure("fbs_bestand", "rucksack_kita:vorhanden", "gemeinde=05154036"),
            figure("fbs_bestand", "rucksack_kita:vorhanden", "gemeinde=05154056"),
            figure("fbs_gesamt", "", "art=kita"),
            figure("fbs_huerden", "sprachbarrieren_eltern", ""),
        ],
        findings: &[
            ("Rucksack KiTa und Griffbereit laufen in den Städten weitgehend, in den kleineren Gemeinden deutlich seltener: Familien dort müssen für die Elterngruppen oft in die nächste Stadt fahren.", &[0, 1]),
            ("Die Kitas sehen im Handlungsfeld insgesamt einen erhöhten Bedarf. Zu den am häufigsten genannten Hürden gehört die Verständigung mit Eltern, die wenig Deutsch sprechen.", &[2, 3]),
        ],
        goals: &[
            Goal {
                title: "Frühe Sprachbildung auch in den kleineren Gemeinden anbieten",
                description: "Bis Ende 2028 gibt es in jeder Gemeinde mindestens eine Gruppe von Rucksack KiTa oder Griffbereit.",
                measures: &[
                    Measure {
                        title: "Rucksack KiTa in Uedem, Weeze und Kranenburg einführen",
                        description: "Elternbegleiterinnen werden geschult; je Gemeinde startet mindestens eine Elterngruppe in einer Kita.",
                        responsible: "KI Kreis Kleve",
                        partners: "Kita-Träger der drei Gemeinden, Familienzentren",
                        places: &[UEDEM, WEEZE, KRANENBURG],
                        starts: "2026-11-01",
                        ends: "2028-07-31",
                        budget: "18000",
                        status: InProgress,
                        notes: &[
                            ("2026-11-12", "Auftakt mit den Kita-Leitungen in Uedem: zwei Kitas haben zugesagt."),
                            ("2026-11-26", "Schulung der Elternbegleiterinnen für Februar 2027 terminiert; die Räume in Weeze stehen noch nicht fest."),
                        ],
                        indicators: &[Indicator {
                            name: "Kitas mit Rucksack-KiTa-Gruppe in Uedem, Weeze und Kranenburg",
                            unit: "Kitas",
                            baseline: Baseline::Stated("1", "2026-10-31", "Abfrage des KI bei den Kita-Trägern"),
                            target: "6",
                            values: &[("2026-11-30", "2")],
                        }],
                    },
                    Measure {
                        title: "Griffbereit-Gruppen in den Familienzentren der Gemeinden",
                        description: "Eltern-Kind-Gruppen für Kinder von 1 bis 3 Jahren, angeleitet von geschulten Elternbegleiterinnen.",
                        responsible: "KI Kreis Kleve",
                        partners: "Familienzentren in Bedburg-Hau, Issum und Kerken",
                        places: &[BEDBURG_HAU, ISSUM, KERKEN],
                        starts: "2027-08-01",
                        ends: "2028-12-31",
                        budget: "9500",
                        status: Planned,
                        notes: &[],
                        indicators: NO_INDICATORS,
                    },
                ],
            },
            Goal {
                title: "Übergänge in Kita und Schule für neu zugewanderte Kinder begleiten",
                description: "Neu zugewanderte Kinder finden schnell einen Platz und lernen Deutsch auch in den Ferien weiter.",
                measures: &[
                    Measure {
                        title: "FerienIntensivTraining „FIT in Deutsch“ in den Sommerferien",
                        description: "Drei Wochen Sprachförderung mit Freizeitprogramm für Kinder und Jugendliche von 6 bis 18 Jahren.",
                        responsible: "KI Kreis Kleve",
                        partners: "Schulen, Träger der Jugendhilfe",
                        places: &[],
                        starts: "2019-07-01",
                        ends: "",
                        budget: "24000",
                        status: Sustained,
                        notes: &[("2026-08-21", "Sommerferien 2026: zehn Standorte, davon erstmals zwei in Gemeinden.")],
                        indicators: NO_INDICATORS,
                    },
                    Measure {
                        title: "Beratung von Seiteneinsteigenden im KI bündeln",
                        description: "Eine Anlaufstelle berät Familien und vermittelt Schulplätze für Kinder, die während der Schulzeit zuziehen.",
                        responsible: "KI Kreis Kleve",
                        partners: "Schulamt für den Kreis Kleve, Schulen",
                        places: &[],
                        starts: "2025-08-01",
                        ends: "2026-07-31",
                        budget: "",
                        status: Done,
                        notes: &[("2026-07-15", "Abschlussbericht: Die Wartezeit auf einen Schulplatz ist von etwa sechs auf drei Wochen gesunken.")],
                        indicators: NO_INDICATORS,
                    },
                ],
            },
        ],
    },
    ThemeStory {
        theme: "ausbildung_studium",
        group: "AG Ausbildung und Studium",
        introduction: "Die Arbeitsgruppe verbindet Schulen, Berufskollegs, Kammern und Jobcenter. Sie knüpft an „Gemeinsam klappt’s“ an, das junge Geflüchtete von 18 bis 27 Jahren auf dem Weg in Ausbildung und Arbeit begleitet.",
        evidence: &[
            figure("aus_bestand", "gemeinsam_klappts:vorhanden", ""),
            figure("aus_bedarf", "sprachfoerderung_ausbildung", ""),
            figure("aus_huerden", "sprachniveau", ""),
        ],
        findings: &[
            ("„Gemeinsam klappt’s“ ist bekannt und verbreitet; was fehlt, ist Sprachförderung während der Ausbildung.", &[0, 1]),
            ("Die meistgenannte Hürde sind Deutschkenntnisse, die für die Berufsschule nicht ausreichen.", &[2]),
        ],
        goals: &[Goal {
            title: "Ausbildungsabbrüche junger Zugewanderter verringern",
            description: "Wer eine Ausbildung beginnt, wird bis zum Abschluss begleitet und sprachlich gefördert.",
            measures: &[
                Measure {
                    title: "„Gemeinsam klappt’s“: Begleitung bis zum Ausbildungsabschluss",
                    description: "Begleitung junger Geflüchteter von 18 bis 27 Jahren bei Bewerbung, Ausbildung und Behördengängen.",
                    responsible: "KI Kreis Kleve",
                    partners: "Jobcenter, Agentur für Arbeit, Jugendmigrationsdienste",
                    places: &[],
                    starts: "2019-01-01",
                    ends: "",
                    budget: "",
                    status: Sustained,
                    notes: &[("2026-09-01", "Zum Ausbildungsjahr 2026 begleitet das Programm 38 junge Menschen.")],
                    indicators: NO_INDICATORS,
                },
                Measure {
                    title: "Berufssprachkurse in Teilzeit am Berufskolleg",
                    description: "Deutsch für die Berufsschule an zwei Nachmittagen je Woche, begleitend zur Ausbildung.",
                    responsible: "Berufskollegs im Kreis Kleve",
                    partners: "Kammern, Agentur für Arbeit",
                    places: &[KLEVE, GELDERN],
                    starts: "2027-08-01",
                    ends: "2028-07-31",
                    budget: "25000",
                    status: Deferred,
                    notes: &[("2026-11-24", "Der Förderantrag wurde abgelehnt; ein neuer Antrag folgt zum nächsten Förderaufruf.")],
                    indicators: NO_INDICATORS,
                },
            ],
        }],
    },
    ThemeStory {
        theme: "sprache_verstaendigung",
        group: "AG Sprache und Verständigung",
        introduction: "Sprache und Verständigung ist der zweite Schwerpunkt des KI („Integration als Querschnitt“). Die Befragung bestätigt, was die Arbeitsgruppe aus der Praxis kennt: Integrationskurse gibt es, aber sie passen nicht für alle, vor allem nicht für Eltern kleiner Kinder.",
        evidence: &[
            figure("", "", ""),
            figure("spr_bedarf", "kurse_kinderbetreuung", ""),
            figure("spr_bestand", "kurse_kinderbetreuung:vorhanden", ""),
            figure("spr_wartezeit", "", ""),
        ],
        findings: &[
            ("Sprache und Verständigung gehört neben Wohnen zu den Handlungsfeldern mit dem höchsten Bedarf.", &[0]),
            ("Am deutlichsten fehlen Sprachkurse mit Kinderbetreuung: Der Bedarf ist hoch, vorhanden sind sie nur selten.", &[1, 2]),
            ("Auf einen Platz im Integrationskurs warten Zugewanderte nach Einschätzung der Befragten mehrere Monate.", &[3]),
        ],
        goals: &[
            Goal {
                title: "Sprachkurse mit Kinderbetreuung in allen Städten anbieten",
                description: "Eltern kleiner Kinder können einen Sprachkurs besuchen, ohne eine Betreuung selbst organisieren zu müssen.",
                measures: &[
                    Measure {
                        title: "Kursbegleitende Kinderbetreuung mit den Kursträgern aufbauen",
                        description: "Betreuung im selben Haus während der Kurszeiten, finanziert über Kreismittel und Bundesförderung.",
                        responsible: "KI Kreis Kleve",
                        partners: "Volkshochschulen, Familienbildungsstätten, Jugendamt",
                        places: &[KLEVE, GOCH, GELDERN, EMMERICH],
                        starts: "2026-09-01",
                        ends: "2028-08-31",
                        budget: "42000",
                        status: InProgress,
                        notes: &[
                            ("2026-10-05", "Die erste Kursgruppe mit Kinderbetreuung hat in Kleve begonnen (zwölf Plätze)."),
                            ("2026-11-20", "Goch und Geldern folgen im Februar 2027; in Emmerich fehlt noch ein Raum."),
                        ],
                        indicators: &[
                            Indicator {
                                name: "Kursplätze mit Kinderbetreuung je Semester",
                                unit: "Plätze",
                                baseline: Baseline::Stated("12", "2026-09-01", "Abfrage bei den Kursträgern"),
                                target: "80",
                                values: &[("2026-11-30", "24")],
                            },
                            Indicator {
                                name: "Bedarf an Sprachkursen mit Kinderbetreuung (Befragung, 1 bis 5)",
                                unit: "",
                                baseline: Baseline::Evidence(1),
                                target: "3,5",
                                values: &[],
                            },
                        ],
                    },
                    Measure {
                        title: "Sprachcafés mit Ehrenamtlichen in den Gemeinden",
                        description: "Wöchentliche offene Treffen zum Deutschsprechen in Büchereien und Pfarrheimen.",
                        responsible: "Ehrenamtliche Initiativen",
                        partners: "Büchereien, Kirchengemeinden",
                        places: &[ISSUM, KERKEN, UEDEM],
                        starts: "2025-03-01",
                        ends: "2026-06-30",
                        budget: "3000",
                        status: Done,
                        notes: &[("2026-06-30", "Drei Sprachcafés laufen; die Initiativen führen sie ohne Förderung weiter.")],
                        indicators: NO_INDICATORS,
                    },
                ],
            },
            Goal {
                title: "Wartezeiten auf Integrationskurse verkürzen",
                description: "Kursplätze werden kreisweit abgestimmt geplant, sodass niemand länger als drei Monate wartet.",
                measures: &[Measure {
                    title: "Kreisweite Kurskoordination mit den Integrationskursträgern",
                    description: "Ein gemeinsamer Überblick über freie Plätze und Wartelisten, monatlich abgestimmt.",
                    responsible: "KI Kreis Kleve",
                    partners: "Integrationskursträger, Jobcenter, Ausländerbehörde",
                    places: &[],
                    starts: "2027-01-01",
                    ends: "2027-12-31",
                    budget: "",
                    status: Planned,
                    notes: &[],
                    indicators: NO_INDICATORS,
                }],
            },
        ],
    },
    ThemeStory {
        theme: "sprachmittlung",
        group: "AG Sprach- und Kulturmittlung",
        introduction: "Das KI vermittelt ehrenamtliche Sprach- und Kulturmittlerinnen und -mittler für Gespräche in sozialen Diensten, im Gesundheitswesen, in Kitas und Schulen. Mitte 2019 waren 43 aktiv, von Januar bis Juni 2019 gab es 180 Einsätze. Die Befragung zeigt, wie viele Organisationen darauf angewiesen sind und für welche Sprachen.",
        evidence: &[
            figure("sm_bedarf", "ja", ""),
            figure("sm_bedarf", "ja", "art=schule"),
            figure("sm_sprachen", "arabisch", ""),
            figure("sm_sprachen", "ukrainisch", ""),
        ],
        findings: &[
            ("Die große Mehrheit der Organisationen benötigt Sprach- und Kulturmittlung, Schulen noch häufiger als der Durchschnitt.", &[0, 1]),
            ("Gefragt sind vor allem Arabisch und Ukrainisch.", &[2, 3]),
        ],
        goals: &[
            Goal {
                title: "Den Pool der Sprach- und Kulturmittlung ausbauen",
                description: "Für die gefragten Sprachen stehen genug geschulte Mittelnde bereit, auch kurzfristig.",
                measures: &[
                    Measure {
                        title: "Neue Sprach- und Kulturmittelnde gewinnen und schulen (Ukrainisch, Dari/Farsi, Tigrinya)",
                        description: "Werbung über Migrantenorganisationen, zweitägige Grundschulung und begleitende Supervision.",
                        responsible: "KI Kreis Kleve",
                        partners: "Integrationsagenturen, Migrantenorganisationen",
                        places: &[],
                        starts: "2026-01-01",
                        ends: "2027-12-31",
                        budget: "15000",
                        status: InProgress,
                        notes: &[
                            ("2026-03-18", "Infoabend in Kleve mit 14 Interessierten."),
                            ("2026-09-30", "Zweite Schulungsrunde abgeschlossen; neun neue Mittelnde sind im Einsatz."),
                        ],
                        indicators: &[Indicator {
                            name: "Vermittelte Einsätze je Halbjahr",
                            unit: "Einsätze",
                            baseline: Baseline::Stated("180", "2019-06-30", "Bericht des KI an den Kreistag 2019"),
                            target: "300",
                            values: &[("2025-12-31", "241"), ("2026-06-30", "268")],
                        }],
                    },
                    Measure {
                        title: "Aufwandsentschädigung der Mittelnden anheben",
                        description: "Die Entschädigung je Einsatz wird an die gestiegenen Fahrtkosten angepasst.",
                        responsible: "KI Kreis Kleve",
                        partners: "",
                        places: &[],
                        starts: "2027-01-01",
                        ends: "",
                        budget: "8000",
                        status: Deferred,
                        notes: &[("2026-11-18", "Zurückgestellt bis zu den Haushaltsberatungen 2027.")],
                        indicators: NO_INDICATORS,
                    },
                ],
            },
            Goal {
                title: "Sprachmittlung bei Elterngesprächen verlässlich erreichbar machen",
                description: "Kitas und Schulen bekommen für Elterngespräche innerhalb einer Woche eine Sprachmittlung.",
                measures: &[Measure {
                    title: "Telefon- und Videodolmetschen für Elterngespräche erproben",
                    description: "Ein halbjähriger Versuch an Kitas und Grundschulen in Kleve und Goch.",
                    responsible: "KI Kreis Kleve",
                    partners: "Kitas und Grundschulen",
                    places: &[KLEVE, GOCH],
                    starts: "2027-02-01",
                    ends: "2027-07-31",
                    budget: "6000",
                    status: Planned,
                    notes: &[],
                    indicators: NO_INDICATORS,
                }],
            },
        ],
    },
    ThemeStory {
        theme: "wohnen",
        group: "AG Wohnen",
        introduction: "Wohnen war in der Befragung von 2018 noch kein eigenes Handlungsfeld. Die Antworten zeigen jetzt einen hohen Bedarf in allen Kommunen, besonders in Kleve und in den Orten mit vielen Arbeitskräften aus dem EU-Ausland.",
        evidence: &[
            figure("", "", ""),
            figure("", KLEVE, ""),
            figure("woh_huerden", "wohnraum", ""),
            figure("woh_bestand", "wohnungssuche:vorhanden", ""),
        ],
        findings: &[
            ("Wohnen gehört zu den Handlungsfeldern mit dem höchsten Bedarf; in Kleve liegt er noch über dem des Kreises.", &[0, 1]),
            ("Fehlender bezahlbarer Wohnraum ist die mit Abstand meistgenannte Hürde; Begleitung bei der Wohnungssuche gibt es selten.", &[2, 3]),
        ],
        goals: &[
            Goal {
                title: "Zugang zu Wohnraum für Geflüchtete und Neuzugewanderte verbessern",
                description: "Haushalte finden mit Begleitung schneller eine eigene Wohnung, und Vermietende haben feste Ansprechpersonen.",
                measures: &[
                    Measure {
                        title: "Wohnraumlotsinnen und -lotsen in Kleve und Emmerich",
                        description: "Zwei halbe Stellen begleiten Wohnungssuchende und vermitteln zwischen Mietenden und Vermietenden.",
                        responsible: "Freie Wohlfahrtspflege im Kreis Kleve",
                        partners: "Wohnungsunternehmen, Sozialämter",
                        places: &[KLEVE, EMMERICH],
                        starts: "2026-04-01",
                        ends: "2028-03-31",
                        budget: "60000",
                        status: InProgress,
                        notes: &[
                            ("2026-06-15", "Beide Stellen sind besetzt; Sprechstunden finden in den Rathäusern statt."),
                            ("2026-11-10", "Seit Beginn sind 23 Haushalte in eigene Wohnungen gezogen."),
                        ],
                        indicators: &[
                            Indicator {
                                name: "In eigene Wohnungen vermittelte Haushalte",
                                unit: "Haushalte",
                                baseline: Baseline::Stated("0", "2026-04-01", "Beginn der Maßnahme"),
                                target: "120",
                                values: &[("2026-09-30", "14"), ("2026-11-10", "23")],
                            },
                            Indicator {
                                name: "Antworten mit Begleitung bei der Wohnungssuche „vorhanden“ (Befragung)",
                                unit: "%",
                                baseline: Baseline::Evidence(3),
                                target: "40",
                                values: &[],
                            },
                        ],
                    },
                    Measure {
                        title: "Mieterführerschein in einfacher Sprache und acht Sprachen",
                        description: "Kurs und Broschüre zu Mietrecht, Nebenkosten, Heizen und Mülltrennung.",
                        responsible: "KI Kreis Kleve",
                        partners: "Mieterverein, Kommunen",
                        places: &[],
                        starts: "2025-05-01",
                        ends: "2026-03-31",
                        budget: "4500",
                        status: Done,
                        notes: &[("2026-03-31", "Broschüre und Kurs liegen vor; die Kommunen nutzen sie in den Unterkünften.")],
                        indicators: NO_INDICATORS,
                    },
                ],
            },
            Goal {
                title: "Auszug aus Gemeinschaftsunterkünften beschleunigen",
                description: "Niemand lebt länger als nötig in einer Gemeinschaftsunterkunft.",
                measures: &[
                    Measure {
                        title: "Auszugsmanagement in den Unterkünften in Goch und Weeze",
                        description: "Die Unterkunftsbetreuung plant mit jedem Haushalt den Auszug, sobald der Aufenthalt geklärt ist.",
                        responsible: "Sozialämter Goch und Weeze",
                        partners: "Wohlfahrtsverbände",
                        places: &[GOCH, WEEZE],
                        starts: "2024-01-01",
                        ends: "",
                        budget: "",
                        status: Sustained,
                        notes: &[("2026-01-20", "Seit 2024 fester Bestandteil der Unterkunftsbetreuung.")],
                        indicators: NO_INDICATORS,
                    },
                    Measure {
                        title: "Runder Tisch Wohnen mit Wohnungsunternehmen und Vermietervereinen",
                        description: "Zweimal im Jahr: freie Wohnungen, Vorbehalte und Unterstützungsangebote.",
                        responsible: "KI Kreis Kleve",
                        partners: "Wohnungsunternehmen, Haus- und Grundbesitzervereine",
                        places: &[],
                        starts: "2027-03-01",
                        ends: "2027-12-31",
                        budget: "",
                        status: Planned,
                        notes: &[],
                        indicators: NO_INDICATORS,
                    },
                ],
            },
        ],
    },
];

/// What the demo concept holds.
#[derive(Debug, Default, PartialEq)]
pub struct ConceptSummary {
    pub themes: usize,
    pub evidence: usize,
    /// Figures the dashboards withhold (too few responses): not taken over.
    pub withheld: usize,
    pub findings: usize,
    pub goals: usize,
    pub measures: usize,
}

/// A working group as the command line acts for it: an administrator without an account (the
/// audit log names [`ACTOR`]), so that every theme can be written.
fn working_group(name: &str) -> Principal {
    Principal {
        account_id: backend::concept::NO_ACCOUNT,
        email: ACTOR.to_string(),
        name: name.to_string(),
        role: Role::Admin,
        themes: Vec::new(),
        csrf: String::new(),
    }
}

fn done<T>(outcome: FormOutcome<T>, what: &str) -> anyhow::Result<T> {
    match outcome {
        FormOutcome::Done(value) => Ok(value),
        FormOutcome::Invalid(problems) => {
            let messages: Vec<String> = problems.errors.into_iter().map(|e| e.message).collect();
            anyhow::bail!("Demo-Konzept, {what}: {}", messages.join(" "))
        }
    }
}

fn err(e: AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Writes the demo concept over the default questionnaire's dashboards; `None` when there is
/// no default questionnaire, or the concept already has content (nothing is added twice).
pub async fn create(staff: &Staff) -> anyhow::Result<Option<ConceptSummary>> {
    let Some((questionnaire, _)) =
        staff.store.questionnaire_by_slug(DEFAULT_SLUG).await.map_err(|e| err(e.into()))?
    else {
        return Ok(None);
    };
    let reader = working_group("KI Kreis Kleve");
    let page = staff.concept_page(&reader).await.map_err(err)?;
    let started = page.themes.iter().any(|t| {
        !t.introduction.is_empty()
            || !t.evidence.is_empty()
            || !t.findings.is_empty()
            || !t.goals.is_empty()
    });
    if started {
        return Ok(None);
    }
    let mut summary = ConceptSummary::default();
    for story in STORIES {
        write_theme(staff, questionnaire, story, &mut summary).await?;
    }
    Ok(Some(summary))
}

async fn write_theme(
    staff: &Staff,
    questionnaire: i64,
    story: &ThemeStory,
    summary: &mut ConceptSummary,
) -> anyhow::Result<()> {
    let group = working_group(story.group);
    let theme = story.theme;
    let intro = IntroductionForm { text: story.introduction.into(), revision: 0 };
    done(staff.save_introduction(&group, theme, &intro).await.map_err(err)?, "Einleitung")?;
    summary.themes += 1;

    // Evidence as the dashboards show it today; a withheld figure is left out.
    let mut evidence: Vec<Option<i64>> = Vec::new();
    for f in story.evidence {
        let form = EvidenceForm {
            fragebogen: questionnaire,
            thema: theme.into(),
            frage: f.question.into(),
            eintrag: f.item.into(),
            ansicht: f.view.into(),
        };
        match staff.take_evidence(&group, &form).await.map_err(err)? {
            Ok(id) => {
                evidence.push(Some(id));
                summary.evidence += 1;
            }
            Err(_) => {
                evidence.push(None);
                summary.withheld += 1;
            }
        }
    }
    let cited = |indices: &[usize]| -> Vec<i64> {
        indices.iter().filter_map(|i| evidence.get(*i).copied().flatten()).collect()
    };
    for (text, indices) in story.findings {
        // A finding stands on its evidence: without any, the group would not write it.
        let ids = cited(indices);
        if ids.is_empty() {
            continue;
        }
        let form = FindingForm { text: (*text).into(), evidence: ids, revision: 0 };
        done(staff.save_finding(&group, theme, None, &form).await.map_err(err)?, "Befund")?;
        summary.findings += 1;
    }

    for goal in story.goals {
        let form = GoalForm {
            title: goal.title.into(),
            description: goal.description.into(),
            revision: 0,
        };
        let goal_id =
            done(staff.save_goal(&group, theme, None, &form).await.map_err(err)?, "Ziel")?;
        summary.goals += 1;
        for m in goal.measures {
            let form = MeasureForm {
                goal: goal_id.to_string(),
                title: m.title.into(),
                description: m.description.into(),
                responsible: m.responsible.into(),
                partners: m.partners.into(),
                county_wide: if m.places.is_empty() { "1".into() } else { String::new() },
                municipalities: m.places.iter().map(|a| a.to_string()).collect(),
                starts: m.starts.into(),
                ends: m.ends.into(),
                budget: m.budget.into(),
                status: m.status.code().into(),
                revision: 0,
            };
            let measure =
                done(staff.save_measure(&group, theme, None, &form).await.map_err(err)?, m.title)?;
            summary.measures += 1;
            for (date, text) in m.notes {
                let form = NoteForm { date: (*date).into(), text: (*text).into() };
                done(staff.add_note(&group, theme, measure, &form).await.map_err(err)?, m.title)?;
            }
            for indicator in m.indicators {
                write_indicator(staff, &group, theme, measure, indicator, &evidence).await?;
            }
        }
    }
    Ok(())
}

async fn write_indicator(
    staff: &Staff,
    group: &Principal,
    theme: &str,
    measure: i64,
    indicator: &Indicator,
    evidence: &[Option<i64>],
) -> anyhow::Result<()> {
    let mut form = IndicatorForm {
        name: indicator.name.into(),
        unit: indicator.unit.into(),
        target: indicator.target.into(),
        ..Default::default()
    };
    match indicator.baseline {
        Baseline::Stated(value, date, source) => {
            form.baseline = value.into();
            form.baseline_date = date.into();
            form.baseline_source = source.into();
        }
        Baseline::Evidence(index) => {
            // The baseline as the evidence shows it (its date is the evidence's).
            let Some(id) = evidence.get(index).copied().flatten() else { return Ok(()) };
            let page = staff.workspace_page(group, theme).await.map_err(err)?;
            let Some(shown) = page.theme.evidence(id).map(|e| e.snapshot.clone()) else {
                return Ok(());
            };
            let Some(value) = shown.value else { return Ok(()) };
            let places = if shown.value_text.contains('%') { PERCENT_PLACES } else { MEAN_PLACES };
            form.baseline = format_decimal(value, places, true);
            form.baseline_evidence = id.to_string();
            form.baseline_source = "Befragung 2026".into();
        }
    }
    done(
        staff.save_indicator(group, theme, measure, None, &form).await.map_err(err)?,
        indicator.name,
    )?;
    if indicator.values.is_empty() {
        return Ok(());
    }
    let page = staff.workspace_page(group, theme).await.map_err(err)?;
    let id = page
        .theme
        .measures()
        .filter(|m| m.id == measure)
        .flat_map(|m| m.indicators.iter())
        .find(|i| i.name == indicator.name)
        .map(|i| i.id)
        .ok_or_else(|| anyhow::anyhow!("Demo-Konzept: Indikator {} fehlt", indicator.name))?;
    for (date, value) in indicator.values {
        let form = IndicatorValueForm { date: (*date).into(), value: (*value).into() };
        done(
            staff.add_indicator_value(group, theme, measure, id, &form).await.map_err(err)?,
            indicator.name,
        )?;
    }
    Ok(())
}
