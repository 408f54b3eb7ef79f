// First and repeat visits in Debian's Chromium on a throttled mobile network (1.6 Mbit/s down,
// 750 kbit/s up, 150 ms round trip): bytes transferred and time until the page is hydrated
// (the app sets html[data-hydrated] once the WASM runs). Prints one JSON line per measurement.
//
// node bench/first-load.mjs <base url> <patient email> <password>
import { chromium } from '@playwright/test';

const [base, email, password] = process.argv.slice(2);
const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1000 * 1000) / 8,
  uploadThroughput: (750 * 1000) / 8,
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** One visit of `path` in `context`: bytes over the wire and ms until hydrated. */
async function visit(context, path, { cold }) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  if (cold) await cdp.send('Network.clearBrowserCache');
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  const started = Date.now();
  await page.goto(base + path, { waitUntil: 'commit' });
  await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached', timeout: 60_000 });
  const hydratedMs = Date.now() - started;
  // Let late requests (the event stream's first bytes, icons) settle into the count.
  await page.waitForTimeout(300);
  await page.close();
  return { bytes, hydratedMs };
}

async function signIn(context) {
  const response = await context.request.post(base + '/api/login', {
    form: { email, password },
    headers: { Accept: 'application/json', Origin: base },
    maxRedirects: 0,
  });
  if (response.status() >= 400) throw new Error(`sign-in failed: ${response.status()}`);
}

async function caseOf(context) {
  const response = await context.request.post(base + '/api/my_cases', { headers: { Accept: 'application/json', Origin: base } });
  const cases = await response.json();
  return cases[0].id;
}

for (const which of ['sign-in', 'patient case']) {
  const context = await browser.newContext();
  let path = '/login';
  if (which === 'patient case') {
    await signIn(context);
    path = `/cases/${await caseOf(context)}`;
  }
  const first = await visit(context, path, { cold: true });
  const repeat = await visit(context, path, { cold: false });
  console.log(JSON.stringify({ page: which, first, repeat }));
  await context.close();
}
await browser.close();
