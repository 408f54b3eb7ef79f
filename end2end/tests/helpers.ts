import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { APIRequestContext, expect, Page } from '@playwright/test';

export const DEMO_PASSWORD = 'consilium-demo';
/** Every demo staff account's second factor (the README lists it). */
export const DEMO_TOTP_SECRET = 'CONSILIUMDEMOSTAFFTOTPSECRET2345';

/**
 * Planted values (P2): health data and a password that the journeys type in. scripts/test.sh
 * fails the suite if any of them shows up in the server's log. Keep in step with test.sh.
 */
export const CANARY = {
  history: 'Canary-history-7Q4Z: atrial fibrillation since 2021.',
  question: 'Canary-question-7Q4Z: is ablation advisable?',
  password: 'canary-password-7Q4Z',
};

export const DEMO = {
  admin: 'admin@consilium.test',
  coordinator: 'zofia.wojcik@consilium.test',
  specialist: 'henrik.larsen@consilium.test',
  patient: 'maria.rossi@example.com',
};

/** Waits until the WASM has hydrated the page: before that, clicks do nothing. */
export async function hydrated(page: Page) {
  await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1);
}

/** No accessibility violation (axe-core, WCAG 2.1 A and AA) on the hydrated page. */
export async function noViolations(page: Page, name: string) {
  await hydrated(page);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect.soft(found, `${name}: axe violations`).toEqual([]);
}

/**
 * Signs in; unless told it should fail, waits until the browser has left the sign-in page, and
 * answers the code page of an account with a second factor with a code from `totpSecret`.
 */
export async function signIn(
  page: Page,
  email: string,
  password = DEMO_PASSWORD,
  expectSuccess = true,
  totpSecret = DEMO_TOTP_SECRET,
) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (!expectSuccess) return;
  await expect(page).not.toHaveURL(/\/login$/);
  if (new URL(page.url()).pathname === '/login/code') {
    await page.getByLabel('Code').fill(await totpCode(email, totpSecret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).not.toHaveURL(/\/login\/code$/);
  }
}

/**
 * A TOTP code for `email`'s authenticator, computed by pyotp (an implementation independent of
 * the server's). The server accepts each step once, and the one after now as well, so the code is
 * for now or the next step, whichever is after the last one this suite used for the account
 * (kept in a file beside the outbox, which outlives a restarted worker), waiting if both are used.
 */
export async function totpCode(email: string, secret: string): Promise<string> {
  const file = path.join(process.env.CONSILIUM_DATA_DIR ?? 'target/e2e-data', 'totp-steps.json');
  const used: Record<string, number> = (() => {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return {};
    }
  })();
  const key = `${email}:${secret}`;
  for (;;) {
    const now = Math.floor(Date.now() / 1000 / 30);
    // Never the step before now: the server's clock may pass into the next step meanwhile.
    const step = Math.max(now, (used[key] ?? 0) + 1);
    if (step <= now + 1) {
      used[key] = step;
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(used));
      return pyotp(secret, step * 30);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The code pyotp computes for `secret` at `seconds` since the epoch. */
export function pyotp(secret: string, seconds: number): string {
  const script = 'import pyotp, sys; print(pyotp.TOTP(sys.argv[1]).at(int(sys.argv[2])))';
  return execFileSync('python3', ['-c', script, secret, String(seconds)], { encoding: 'utf8' }).trim();
}

/**
 * A PDF that parses (the server checks uploads by parsing them): a catalog, a page tree, one
 * page and a correct cross-reference table, after `padKib` KiB of padding in a comment block.
 */
export function pdf(note = 'document', padKib = 0): Buffer {
  const parts: Buffer[] = [Buffer.from(`%PDF-1.4\n% ${note}\n`)];
  if (padKib > 0) parts.push(Buffer.alloc(padKib * 1024, 0x20), Buffer.from('\n'));
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ];
  let offset = Buffer.concat(parts).length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const object = Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`);
    parts.push(object);
    offset += object.length;
  });
  const table = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${table}` +
        `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`,
    ),
  );
  return Buffer.concat(parts);
}

const PDF = pdf('referral letter');

/**
 * The latest email to `address` whose subject is `subject`, as it arrived. scripts/test.sh has
 * the server send over SMTP to a real SMTP server (aiosmtpd) that keeps each message in the
 * Maildir named by `E2E_MAILDIR`; without it (the default transport) each message is a file in
 * `$CONSILIUM_DATA_DIR/outbox`. Waits for the outbox worker.
 */
export async function emailTo(address: string, subject: string): Promise<string> {
  const dir = process.env.E2E_MAILDIR
    ? path.join(process.env.E2E_MAILDIR, 'new')
    : path.join(process.env.CONSILIUM_DATA_DIR ?? 'target/e2e-data', 'outbox');
  const deadline = Date.now() + 30_000;
  let newest = '';
  while (Date.now() < deadline) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const text = (await readFile(path.join(dir, name), 'utf8')).replace(/=\r?\n/g, '');
      if (new RegExp(`^To: ${address}\r?$`, 'm').test(text) && new RegExp(`^Subject: ${subject}\r?$`, 'm').test(text)) {
        const stamp = (await stat(path.join(dir, name))).mtimeMs;
        if (!newest || stamp >= Number(newest.split('\0')[0])) newest = `${stamp}\0${text}`;
      }
    }
    if (newest) return newest.split('\0')[1];
    await new Promise((r) => setTimeout(r, 500)); // the outbox worker delivers every 5 s
  }
  throw new Error(`no email "${subject}" to ${address} in ${dir}`);
}

/** Opens, in `page`, the link to `path` (token after `#`) in the latest such email to `address`. */
export async function openEmailedLink(page: Page, address: string, subject: string, path: string) {
  const message = await emailTo(address, subject);
  const link = message.match(new RegExp(`https?://\\S+${path}#[0-9a-f]+`));
  expect(link, message).not.toBeNull();
  const url = new URL(link![0]);
  await page.goto(url.pathname + url.hash);
  await hydrated(page);
}

/**
 * Registers a patient as a person would: the form, then the link in the email that arrives,
 * then "Confirm and sign in". Ends signed in, on the patient's case list.
 */
export async function registerPatient(page: Page, name: string, email: string, password: string) {
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('check-email')).toContainText('Check your email');
  await openEmailedLink(page, email, 'Confirm your email address', '/verify-email');
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(page).toHaveURL(/\/cases$/);
}

/** Calls a server function the way the pages do and returns its JSON answer. */
export async function call(request: APIRequestContext, endpoint: string, body: string) {
  const response = await request.post(`/api/${endpoint}`, {
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
    data: body,
  });
  expect(response.ok(), `${endpoint}: ${await response.text()}`).toBeTruthy();
  return response.json();
}

/** A form body from its fields, in order (a field may repeat). */
export const form = (fields: [string, string][]) => new URLSearchParams(fields).toString();

/** The case page's data as `caller` may see it. */
export async function caseView(request: APIRequestContext, caseId: string) {
  return call(request, 'load_case', form([['case_id', caseId]]));
}

/** A submitted Cardiology case of the signed-in patient, created through the same calls the pages use. */
export async function submittedCase(request: APIRequestContext): Promise<string> {
  const started = await request.post('/api/start_case', { headers: { Accept: 'application/json' } });
  expect(started.ok()).toBeTruthy();
  const caseId: string = await started.json();
  const upload = await request.post(`/cases/${caseId}/documents?name=referral.pdf`, {
    data: PDF,
    headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
  });
  expect(upload.status()).toBe(201);
  const catalog = await (await request.post('/api/load_catalog', { headers: { Accept: 'application/json' } })).json();
  const standard = catalog.review_types.find((t: { name: string }) => t.name === 'Standard second opinion');
  const cardiology = catalog.categories.find((c: { name: string }) => c.name === 'Cardiology');
  const submit = await request.post('/api/save_case', {
    headers: { Accept: 'application/json' },
    form: {
      case_id: caseId,
      version: '1',
      intent: 'submit',
      review_type_id: standard.id,
      category_id: cardiology.id,
      patient_age: '58',
      patient_sex: 'male',
      medical_history: CANARY.history,
      current_treatment: 'Apixaban',
      questions: CANARY.question,
    },
  });
  expect(submit.ok(), await submit.text()).toBeTruthy();
  return caseId;
}
