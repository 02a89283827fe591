use crate::components::privacy::PrivacyNotice;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <Title text="Datenschutz"/>
        <h1>"Datenschutz"</h1>
        <PrivacyNotice/>
    }
}

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! {
        <Title text="Erklärung zur Barrierefreiheit"/>
        <h1>"Erklärung zur Barrierefreiheit"</h1>
        <p>
            "Der Kreis Kleve ist bemüht, dieses Angebot im Einklang mit der Barrierefreie-Informationstechnik-Verordnung "
            "(BITV 2.0) barrierefrei zugänglich zu machen. Maßstab sind die Web Content Accessibility Guidelines 2.1, Stufe AA."
        </p>
        <h2>"Stand der Vereinbarkeit"</h2>
        <p>
            "Alle Seiten des Fragebogens lassen sich vollständig mit der Tastatur und ohne JavaScript bedienen. "
            "Jedes Eingabefeld hat eine Beschriftung, Fehler werden oben zusammengefasst und am Feld erklärt. "
            "Die Seiten werden bei jeder Änderung automatisiert geprüft."
        </p>
        <h2>"Barrieren melden"</h2>
        <p>
            "Wenn Ihnen Barrieren auffallen, schreiben Sie uns bitte an das Kommunale Integrationszentrum, "
            "Nassauerallee 15–23, 47533 Kleve. Wir antworten innerhalb von zwei Wochen."
        </p>
        <h2>"Schlichtungsverfahren"</h2>
        <p>"Bleibt eine Anfrage unbeantwortet, können Sie sich an die Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen wenden."</p>
    }
}
