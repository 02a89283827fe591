use crate::components::privacy::PrivacyNotice;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <Title text="Datenschutz"/>
        <h1>"Datenschutz"</h1>
        <PrivacyNotice/>
        <section aria-labelledby="kleine-gruppen">
            <h2 id="kleine-gruppen">"Schutz kleiner Gruppen in der Auswertung"</h2>
            <p>"Die Arbeitsgruppen sehen nur zusammengefasste Zahlen. Damit sich auch aus mehreren Ansichten zusammen keine Angabe über weniger als die Mindestzahl von Organisationen errechnen lässt, gilt:"</p>
            <ul>
                <li>"Eine Ansicht zeigt den ganzen Kreis, eine Kommune, eine Art der Organisation oder einen Kalendermonat, immer nur eines davon. Mehrere Kommunen oder Arten zusammen, Kombinationen und beliebige Zeiträume gibt es nicht: Aus zwei solchen Ansichten ließe sich sonst die Differenz bilden, und die beschreibt oft eine einzige Organisation."</li>
                <li>"Jede Zahl beruht auf mindestens der Mindestzahl von Antworten. Außerdem wird eine Zahl auch dann nicht gezeigt, wenn sie sich zusammen mit anderen Ansichten zur Angabe einer kleineren Gruppe verrechnen ließe, etwa der ganze Kreis abzüglich aller anderen Arten der Organisation. Für solche Zahlen steht wie für fehlende Antworten „zu wenige Antworten“, ohne Zahl der Antworten."</li>
                <li>"Freitexte erscheinen nur in der Ansicht des ganzen Kreises, E-Mail-Adressen und Telefonnummern darin werden unkenntlich gemacht. Kontaktangaben erscheinen nie in einer Auswertung."</li>
                <li>"Minimum und Maximum von Zahlenangaben werden nicht gezeigt, weil sie die Angabe einer einzelnen Organisation sind."</li>
                <li>"Antworten über den offenen Link zählen erst, wenn das Kommunale Integrationszentrum sie geprüft und freigegeben hat. So kann niemand eine kleine Gruppe mit erfundenen Antworten auffüllen und dann die Angaben der echten Organisationen zurückrechnen."</li>
            </ul>
        </section>
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
