import { Buffer } from 'node:buffer';
import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { call, caseView, DEMO, form, hydrated, pdf, signIn, submittedCase } from './helpers';

const PDF = pdf('echocardiography report');
const SECOND_SPECIALIST = 'amara.nwosu@consilium.test';
const OTHER_AREA_SPECIALIST = 'mei.chen@consilium.test';

/** A case under review by Henrik Larsen and Amara Nwosu, coordinated by Zofia Wójcik. */
async function caseUnderReview(patient: Page, admin: Page, coordinator: Page): Promise<string> {
  const caseId = await submittedCase(patient.request);
  const forAdmin = await caseView(admin.request, caseId);
  const zofia = forAdmin.choices.find((c: { name: string }) => c.name === 'Zofia Wójcik');
  await call(
    admin.request,
    'assign_coordinator',
    form([['case_id', caseId], ['version', String(forAdmin.summary.version)], ['coordinator_id', zofia.id], ['change', 'false']]),
  );
  const forPatient = await caseView(patient.request, caseId);
  const paymentId = forPatient.payment.checkout_url.split('/').pop();
  await call(patient.request, 'complete_test_checkout', form([['payment_id', paymentId], ['outcome', 'pay']]));
  const forCoordinator = await caseView(coordinator.request, caseId);
  const ids = forCoordinator.choices
    .filter((c: { name: string }) => ['Henrik Larsen', 'Amara Nwosu'].includes(c.name))
    .map((c: { id: string }) => ['specialists[]', c.id] as [string, string]);
  expect(ids).toHaveLength(2);
  await call(
    coordinator.request,
    'assign_specialists',
    form([['case_id', caseId], ['version', String(forCoordinator.summary.version)], ...ids]),
  );
  return caseId;
}

async function openCase(page: Page, caseId: string) {
  await page.goto(`/cases/${caseId}`);
  await hydrated(page);
}

async function writeOpinion(page: Page, assessment: string, recommendation: string) {
  const editor = page.getByTestId('opinion-editor');
  await editor.getByLabel('Assessment').fill(assessment);
  await editor.getByLabel('Recommendation').fill(recommendation);
}

test('review to report: a document request, two opinions, the summary, the patient reads the report', async ({
  page,
  browser,
}) => {
  await signIn(page, DEMO.patient);
  const admin = await browser.newPage();
  await signIn(admin, DEMO.admin);
  const coordinator = await browser.newPage();
  await signIn(coordinator, DEMO.coordinator);
  const caseId = await caseUnderReview(page, admin, coordinator);

  // Henrik asks the patient for a document.
  const henrik = await browser.newPage();
  await signIn(henrik, DEMO.specialist);
  await openCase(henrik, caseId);
  const ask = henrik.getByTestId('request-form');
  await ask.getByLabel('Document 1').fill('Echocardiography report, 2026');
  await ask.getByLabel(/Note to the patient/).fill('The most recent one, please.');
  await ask.getByRole('button', { name: 'Send the request' }).click();
  await expect(henrik.getByTestId('timeline')).toContainText('Documents requested');
  await expect(henrik.getByTestId('timeline')).toContainText('Under specialist review');

  // The coordinator cannot complete the case yet and says why.
  await openCase(coordinator, caseId);
  await expect(coordinator.getByTestId('summary-blocker')).toContainText('Henrik Larsen');
  await expect(coordinator.getByRole('button', { name: 'Complete the case' })).toBeDisabled();

  // The patient sees the checklist and uploads against the item.
  await openCase(page, caseId);
  const item = page.getByTestId('request-item');
  await expect(item).toContainText('Echocardiography report, 2026');
  await item.locator('input[type=file]').setInputFiles({ name: 'echo.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(page.getByTestId('timeline')).toContainText('Documents provided');
  await expect(page.getByTestId('request-item')).toContainText('provided');

  // Henrik saves a draft, comes back to it, and submits it.
  await openCase(henrik, caseId);
  await writeOpinion(henrik, 'Two-vessel disease is likely.', 'Coronary angiography within four weeks.');
  await henrik.getByRole('button', { name: 'Save draft' }).click();
  await expect(henrik.getByText('Saved.')).toBeVisible();
  await openCase(henrik, caseId);
  await expect(henrik.getByTestId('opinion-editor').getByLabel('Assessment')).toHaveValue('Two-vessel disease is likely.');
  await henrik.getByRole('button', { name: 'Submit opinion' }).click();
  await expect(henrik.getByTestId('my-opinion')).toContainText('Two-vessel disease is likely.');
  await expect(henrik.getByTestId('opinion-editor')).toHaveCount(0);

  // Amara does not see Henrik's opinion before the case completes, and submits her own.
  const amara = await browser.newPage();
  await signIn(amara, SECOND_SPECIALIST);
  await openCase(amara, caseId);
  await expect(amara.getByTestId('opinions')).toHaveCount(0);
  await writeOpinion(amara, 'Ischaemia on the stress test is convincing.', 'Agree with angiography; continue bisoprolol.');
  await amara.getByRole('button', { name: 'Submit opinion' }).click();
  await expect(amara.getByTestId('my-opinion')).toBeVisible();

  // The coordinator's dashboard says the case is ready; the case page shows both opinions.
  await coordinator.goto('/clinician');
  await hydrated(coordinator);
  const row = coordinator.locator('tr').filter({ has: coordinator.locator(`a[href="/cases/${caseId}"]`) });
  await expect(row.getByTestId('attention')).toHaveText('Ready for your summary');
  await openCase(coordinator, caseId);
  await expect(coordinator.getByTestId('opinion')).toHaveCount(2);
  await expect(coordinator.getByTestId('summary-blocker')).toHaveCount(0);
  await coordinator.getByLabel('Summary for the patient').fill('Both specialists advise a coronary angiography. Zażółć gęślą jaźń.');
  await coordinator.getByRole('button', { name: 'Complete the case' }).click();
  await expect(coordinator.getByTestId('timeline')).toContainText('Case completed');

  // The patient is told, and reads the report in the browser.
  await openCase(page, caseId);
  await expect(page.locator('.case-header .badge')).toHaveText('Completed');
  await page.getByTestId('report-card').getByRole('link', { name: 'Read the report' }).click();
  await hydrated(page);
  const report = page.getByTestId('report');
  await expect(report).toContainText('Second opinion report');
  await expect(report.getByTestId('report-opinion')).toHaveCount(2);
  await expect(report).toContainText('Two-vessel disease is likely.');
  await expect(page.getByTestId('report-summary')).toHaveText('Both specialists advise a coronary angiography. Zażółć gęślą jaźń.');

  // The PDF comes from the same record, to the patient and the care team only.
  const pdf = await page.request.get(`/cases/${caseId}/report.pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect(pdf.headers()['x-content-type-options']).toBe('nosniff');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  expect((await henrik.request.get(`/cases/${caseId}/report.pdf`)).status()).toBe(200);
  const outsider = await browser.newPage();
  await signIn(outsider, OTHER_AREA_SPECIALIST);
  const refused = await outsider.request.get(`/cases/${caseId}/report.pdf`);
  const missing = await outsider.request.get('/cases/00000000-0000-0000-0000-000000000000/report.pdf');
  expect(refused.status()).toBe(404);
  expect(await refused.text()).toBe(await missing.text());

  // The admin finds every read of this report in the audit log, and can export the search.
  const reference = (await page.getByTestId('report').locator('.facts dd').first().textContent())!.trim();
  await admin.goto(`/admin/audit?action=read_report&case=${reference}`);
  await hydrated(admin);
  const log = admin.getByTestId('audit-table');
  await expect(log).toContainText('Maria Rossi');
  await expect(log).toContainText('Henrik Larsen');
  await expect(log.locator('tr').filter({ hasText: 'Mei Chen' })).toContainText('denied');
  const csv = await admin.request.get(`/admin/audit.csv?action=read_report&case=${reference}`);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toContain('read_report');

  // Once completed, the specialists read each other's opinions.
  await openCase(amara, caseId);
  await expect(amara.getByTestId('opinion')).toContainText('Two-vessel disease is likely.');
});
