// Which client files each role downloads: signed in (the session cookie is given), it opens the
// role's main pages in Debian's Chromium, one after another in one browser, and notes every
// WASM and JS file under /pkg/ the browser fetched. Prints one JSON line per role:
// {"role": "...", "files": ["consilium.<hash>.wasm", ...]}.
//
// node bench/role-downloads.mjs <base url> <role>|<cookie name=value>|<path>,<path>... [...]
import { chromium } from '@playwright/test';

const [base, ...roles] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

for (const entry of roles) {
  const [role, cookie, paths] = entry.split('|');
  const context = await browser.newContext();
  const [name, ...value] = cookie.split('=');
  await context.addCookies([{ name, value: value.join('='), url: base }]);
  const files = new Set();
  context.on('requestfinished', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/pkg/') && /\.(wasm|js)$/.test(path)) files.add(path.slice('/pkg/'.length));
  });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  for (const path of paths.split(',')) {
    await page.goto(base + path);
    await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached', timeout: 60_000 });
    // Parts a page loads after hydrating belong to it too (the event stream never goes idle, so
    // this waits a moment rather than for an idle network).
    await page.waitForTimeout(500);
  }
  if (errors.length) throw new Error(`${role}: console errors: ${errors.join(' | ')}`);
  console.log(JSON.stringify({ role, files: [...files].sort() }));
  await context.close();
}
await browser.close();
