import { Buffer } from 'node:buffer';
import { APIRequestContext, expect, Page } from '@playwright/test';

export const DEMO_PASSWORD = 'consilium-demo';

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

/** Signs in; unless told it should fail, waits until the browser has left the sign-in page. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, expectSuccess = true) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (expectSuccess) await expect(page).not.toHaveURL(/\/login$/);
}

const PDF = Buffer.from('%PDF-1.4\n% referral letter\ntrailer << >>\n%%EOF\n');

/** A submitted Cardiology case of the demo patient, created through the same calls the pages use. */
export async function submittedCase(request: APIRequestContext): Promise<string> {
  const started = await request.post('/api/start_case', { headers: { Accept: 'application/json' } });
  expect(started.ok()).toBeTruthy();
  const caseId: string = await started.json();
  const upload = await request.post(`/cases/${caseId}/documents?name=referral.pdf`, {
    data: PDF,
    headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
  });
  expect(upload.status()).toBe(201);
  const catalog = await (await request.post('/api/catalog', { headers: { Accept: 'application/json' } })).json();
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
