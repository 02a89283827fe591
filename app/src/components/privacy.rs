use leptos::prelude::*;

/// Information under Art. 13 GDPR, shown before anybody answers.
#[component]
pub fn PrivacyNotice(#[prop(optional)] heading_level: Option<u8>) -> impl IntoView {
    let body = view! {
        <p>
            "Verantwortlich ist der Kreis Kleve, Kommunales Integrationszentrum, Nassauerallee 15–23, 47533 Kleve. "
            "Die Befragung dient der Bedarfs- und Bestandsanalyse für das Integrationskonzept des Kreises "
            "(Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit dem Teilhabe- und Integrationsgesetz NRW). Die Teilnahme ist freiwillig."
        </p>
        <ul>
            <li>"Gespeichert werden Ihre Antworten, die Art Ihrer Organisation, die Kommunen, in denen sie tätig ist, und die Zeitpunkte der Bearbeitung. Ihre IP-Adresse wird nicht gespeichert."</li>
            <li>"Ausgewertet und weitergegeben werden Ergebnisse nur zusammengefasst; Angaben aus weniger als drei Antworten werden nicht ausgewiesen, auch nicht als Differenz zweier Auswertungen. Freitexte werden ohne Namen der Organisation gezeigt: Bitte nennen Sie darin keine Personen."</li>
            <li>"Ihr persönlicher Link ist der Schlüssel zu Ihren Antworten. Wir speichern nur eine nicht umkehrbare Prüfsumme davon; geben Sie ihn nur innerhalb Ihrer Organisation weiter."</li>
            <li>"Die Daten werden gelöscht, sobald das Integrationskonzept beschlossen ist, spätestens nach drei Jahren."</li>
            <li>"Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Einschränkung der Verarbeitung sowie auf Widerspruch und auf Beschwerde bei der Landesbeauftragten für Datenschutz und Informationsfreiheit NRW. Datenschutzbeauftragte des Kreises Kleve: datenschutz@kreis-kleve.de."</li>
        </ul>
    };
    match heading_level.unwrap_or(2) {
        3 => view! { <section class="privacy" aria-labelledby="datenschutz-titel"><h3 id="datenschutz-titel">"Datenschutzhinweise"</h3>{body}</section> }.into_any(),
        _ => view! { <section class="privacy" aria-labelledby="datenschutz-titel"><h2 id="datenschutz-titel">"Datenschutzhinweise"</h2>{body}</section> }.into_any(),
    }
}
