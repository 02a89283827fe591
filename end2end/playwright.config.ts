import { defineConfig } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './tests/admin-account';

// Browser tests of the respondent's and the administration's pages against the debug build (`cargo leptos build`).
// Each run starts the server on a fresh SQLite database; every test starts its own response.
const port = 3300;
const dbDir = '/tmp/bedarfsanalyse-e2e';
// Another build (e.g. `cargo leptos build --release`) rewrites target/site while it runs; to
// test a snapshot instead, point these at copies of the debug server and its site folder.
const serverBin = process.env.E2E_SERVER_BIN ?? './target/debug/server';
const siteRoot = process.env.E2E_SITE_ROOT ?? 'target/site';

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  fullyParallel: true,
  workers: 2,
  // One retry absorbs a test that timed out on a busy two-core machine (the debug wasm
  // compiles in every new browser context); the report lists such a test as "flaky", and a
  // test that fails twice fails the run.
  retries: 1,
  forbidOnly: !!process.env.CI,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'de-DE',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
  // The builder test adds a questionnaire, which then is the newest one that dashboards and
  // progress show first: it runs after the tests that rely on the default questionnaire.
  projects: [
    { name: 'default-questionnaire', testIgnore: /(builder|waves|imports)\.spec\.ts/ },
    { name: 'builder', testMatch: /builder\.spec\.ts/, dependencies: ['default-questionnaire'] },
    // Copies the default questionnaire as further waves.
    { name: 'waves', testMatch: /waves\.spec\.ts/, dependencies: ['builder'] },
    // Imports add questionnaires too, and responses to them: after the others.
    { name: 'imports', testMatch: /imports\.spec\.ts/, dependencies: ['waves'] },
  ],
  webServer: {
    command:
      `rm -rf ${dbDir} && mkdir -p ${dbDir} && ` +
      `export DATABASE_URL=sqlite://${dbDir}/db.sqlite LISTEN_ADDR=127.0.0.1:${port} ` +
      `LEPTOS_SITE_ROOT=${siteRoot} RUST_LOG=warn RATE_LIMIT_OPEN_STARTS=1000 RATE_LIMIT_LOGINS=1000 && ` +
      // The first administrator, as the README describes it.
      `ADMIN_PASSWORD='${ADMIN_PASSWORD}' ${serverBin} admin create --email ${ADMIN_EMAIL} --name 'KI Testkonto' && ` +
      // Submitted demo responses, so that the dashboards have figures to show.
      `${serverBin} demo --responses 120 --seed 5 --draft-share 0.1 && ` +
      `exec ${serverBin}`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
