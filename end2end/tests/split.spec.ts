import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { DEMO, hydrated, signIn } from './helpers';

// The client is split into parts per group of pages (app/src/pages/lazy.rs, built with
// `cargo leptos --split`): a patient downloads the shell and the parts of the pages they open,
// never the administration or clinician parts, and every page still hydrates without an error.

const PKG = process.env.E2E_SITE_PKG ?? path.join(__dirname, '..', '..', 'target', 'site', 'pkg');

/** The files of each lazily loaded group, from the newest split manifest the build wrote. */
function manifest(): Record<string, string[]> {
  const names = readdirSync(PKG).filter((n) => /^__wasm_split_manifest.*\.json$/.test(n));
  expect(names, `a split manifest in ${PKG} (was the client built with --split?)`).not.toEqual([]);
  const newest = names.sort((a, b) => statSync(path.join(PKG, b)).mtimeMs - statSync(path.join(PKG, a)).mtimeMs)[0];
  return JSON.parse(readFileSync(path.join(PKG, newest), 'utf8'));
}

/** The files of the groups whose function name starts with one of `groups`. */
function filesOf(parts: Record<string, string[]>, groups: string[]): Set<string> {
  const keys = Object.keys(parts).filter((k) => groups.some((g) => k.startsWith(g)));
  expect(keys.length, `groups ${groups.join(', ')} in the manifest`).toBe(groups.length);
  return new Set(keys.flatMap((k) => parts[k]).map((f) => `${f}.wasm`));
}

/** Records the names of the WASM files the page fetches from /pkg/. */
function recordWasm(page: Page): Set<string> {
  const fetched = new Set<string>();
  page.on('requestfinished', (request) => {
    const p = new URL(request.url()).pathname;
    if (p.startsWith('/pkg/') && p.endsWith('.wasm')) fetched.add(p.slice('/pkg/'.length));
  });
  return fetched;
}

async function open(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
}

test('a patient downloads the parts of their pages, never the administration or clinician parts', async ({ page }) => {
  const parts = manifest();
  const patientParts = filesOf(parts, ['sign_in_pages', 'case_pages', 'own_account_pages', 'drafting_pages', 'report_pages']);
  const staffOnly = [...filesOf(parts, ['admin_pages', 'clinician_pages'])].filter((f) => !patientParts.has(f));
  expect(staffOnly.length, 'code only staff pages use').toBeGreaterThan(0);

  const fetched = recordWasm(page);
  await signIn(page, DEMO.patient);
  await expect(page).toHaveURL(/\/cases$/);
  await hydrated(page);
  const caseLink = page.locator('a[href^="/cases/"]').first();
  await open(page, (await caseLink.getAttribute('href'))!);
  await open(page, '/account');
  await open(page, '/notifications');

  const caseParts = filesOf(parts, ['case_pages']);
  expect([...caseParts].filter((f) => fetched.has(f)).length, 'the case pages part was fetched').toBe(caseParts.size);
  expect([...fetched].filter((f) => staffOnly.includes(f)), 'staff-only parts a patient fetched').toEqual([]);
});

test('an admin opening the queue fetches the administration part and the page works', async ({ page }) => {
  const parts = manifest();
  const adminParts = filesOf(parts, ['admin_pages']);
  const fetched = recordWasm(page);
  await signIn(page, DEMO.admin);
  await expect(page).toHaveURL(/\/admin$/);
  await hydrated(page);
  // The page was hydrated on the sign-in page already; the part loads after the client-side
  // navigation to the queue, so its files may still be on their way.
  await expect
    .poll(() => [...adminParts].filter((f) => !fetched.has(f)), { message: 'administration files not fetched' })
    .toEqual([]);
  // Client-side navigation into a part not loaded yet: the catalog link, then back to the queue.
  await page.getByRole('link', { name: 'Catalog' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/catalog$/);
});
