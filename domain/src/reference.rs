//! Reference data of Kreis Kleve: municipalities and kinds of organisation. Codes are stable
//! (AGS for municipalities) because they end up in answers, exports and filters.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Municipality {
    pub ags: &'static str,
    pub name: &'static str,
    pub is_town: bool,
}

pub const COUNTY_NAME: &str = "Kreis Kleve";
/// Code used where an organisation serves the whole county rather than single municipalities.
pub const WHOLE_COUNTY: &str = "kreisweit";

pub const MUNICIPALITIES: [Municipality; 16] = [
    Municipality { ags: "05154004", name: "Bedburg-Hau", is_town: false },
    Municipality { ags: "05154008", name: "Emmerich am Rhein", is_town: true },
    Municipality { ags: "05154012", name: "Geldern", is_town: true },
    Municipality { ags: "05154016", name: "Goch", is_town: true },
    Municipality { ags: "05154020", name: "Issum", is_town: false },
    Municipality { ags: "05154024", name: "Kalkar", is_town: true },
    Municipality { ags: "05154028", name: "Kerken", is_town: false },
    Municipality { ags: "05154032", name: "Kevelaer", is_town: true },
    Municipality { ags: "05154036", name: "Kleve", is_town: true },
    Municipality { ags: "05154040", name: "Kranenburg", is_town: false },
    Municipality { ags: "05154044", name: "Rees", is_town: true },
    Municipality { ags: "05154048", name: "Rheurdt", is_town: false },
    Municipality { ags: "05154052", name: "Straelen", is_town: true },
    Municipality { ags: "05154056", name: "Uedem", is_town: false },
    Municipality { ags: "05154060", name: "Wachtendonk", is_town: false },
    Municipality { ags: "05154064", name: "Weeze", is_town: false },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgKind {
    pub code: &'static str,
    pub label: &'static str,
}

pub const ORG_KINDS: [OrgKind; 14] = [
    OrgKind { code: "kommune", label: "Kommune (Verwaltung)" },
    OrgKind { code: "kita", label: "Kindertageseinrichtung" },
    OrgKind { code: "schule", label: "Schule" },
    OrgKind { code: "weiterbildung", label: "Weiterbildung/Hochschule" },
    OrgKind { code: "beratung", label: "Beratungseinrichtung" },
    OrgKind { code: "arbeitsagentur", label: "Bundesagentur für Arbeit / Jobcenter" },
    OrgKind { code: "integrationsagentur", label: "Integrationsagentur" },
    OrgKind { code: "wohlfahrt", label: "Wohlfahrtsverband" },
    OrgKind {
        code: "migrationsdienst",
        label: "Migrationsdienst (Migrationsberatung, Jugendmigrationsdienst)",
    },
    OrgKind { code: "integrationsrat", label: "Integrationsrat" },
    OrgKind { code: "verein", label: "Verein/Verband (auch Sportverein, Migrantenorganisation)" },
    OrgKind { code: "ehrenamt", label: "Ehrenamtliche Initiative" },
    OrgKind { code: "gesundheit", label: "Gesundheitswesen" },
    OrgKind { code: "sonstige", label: "Sonstige" },
];

/// The 21 languages the county's language and culture mediation covers.
pub const MEDIATION_LANGUAGES: [&str; 21] = [
    "Albanisch",
    "Arabisch",
    "Armenisch",
    "Berber",
    "Dari/Farsi",
    "Englisch",
    "Französisch",
    "Italienisch",
    "Kurdisch",
    "Mongolisch",
    "Niederländisch",
    "Paschtu",
    "Persisch",
    "Polnisch",
    "Portugiesisch",
    "Rumänisch",
    "Russisch",
    "Somalisch",
    "Türkisch",
    "Ukrainisch",
    "Urdu",
];

pub fn municipality(ags: &str) -> Option<&'static Municipality> {
    MUNICIPALITIES.iter().find(|m| m.ags == ags)
}

pub fn org_kind(code: &str) -> Option<&'static OrgKind> {
    ORG_KINDS.iter().find(|k| k.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::code_from_label;

    #[test]
    fn reference_codes_are_unique() {
        let mut ags: Vec<_> = MUNICIPALITIES.iter().map(|m| m.ags).collect();
        ags.sort();
        ags.dedup();
        assert_eq!(ags.len(), 16);
        let mut kinds: Vec<_> = ORG_KINDS.iter().map(|k| k.code).collect();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), ORG_KINDS.len());
        let mut langs: Vec<_> = MEDIATION_LANGUAGES.iter().map(|l| code_from_label(l)).collect();
        langs.sort();
        langs.dedup();
        assert_eq!(langs.len(), 21);
    }
}
