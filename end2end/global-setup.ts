import type { FullConfig } from '@playwright/test';

/**
 * Fails early, with a clear message, when the server and target/site do not belong together:
 * a server binary built by plain `cargo build`/`cargo test` asks for `<name>_bg.wasm`, one built
 * by `cargo leptos build` for `<name>.wasm`. Without its script no page would hydrate, and the
 * tests with JavaScript would fail one by one.
 */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const base = config.projects[0].use.baseURL!;
  const html = await (await fetch(`${base}/`)).text();
  const js = html.match(/import\('([^']+\.js)'\)/)?.[1];
  const wasm = html.match(/module_or_path: '([^']+\.wasm)'/)?.[1];
  if (!js || !wasm) throw new Error('Die Startseite lädt kein Skript zum Hydrieren.');
  for (const file of [js, wasm]) {
    const response = await fetch(`${base}${file}`);
    if (!response.ok) {
      throw new Error(
        `Der Server verlangt ${file}, bekommt aber ${response.status}. Bitte mit \`cargo leptos build\` bauen ` +
          '(ein einfaches `cargo build` oder `cargo test` baut den Server mit anderem Namen der wasm-Datei).',
      );
    }
  }
}
