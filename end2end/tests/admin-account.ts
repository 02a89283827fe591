/** The administrator the test server is started with (`server admin create`). */
export const ADMIN_EMAIL = 'ki-test@kreis-kleve.de';
export const ADMIN_PASSWORD = 'Integrationskonzept Kreis Kleve 2026';
