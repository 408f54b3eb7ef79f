import { Buffer } from 'node:buffer';
import { expect, test } from './fixtures';
import { DEMO, hydrated, pdf as validPdf, registerPatient, signIn } from './helpers';

/** A PDF of about `kib` KiB that parses. */
const pdf = (kib: number): Buffer => validPdf('test document', kib);

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
  Buffer.from('IHDR'),
  Buffer.alloc(17),
  Buffer.from([0, 0, 0, 0]),
  Buffer.from('IEND'),
  Buffer.from([0xae, 0x42, 0x60, 0x82]),
]);

test('a patient drafts a case with two documents, comes back, submits, and the admin finds it', async ({ page, browser }) => {
  const email = `intake.${Date.now()}@example.com`;
  await registerPatient(page, 'Zuzanna Kowalczyk', email, 'a long enough password');

  await hydrated(page);
  await page.getByRole('button', { name: 'Start a new case' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]+\/edit$/);
  const editUrl = page.url();
  await hydrated(page);

  await page.getByLabel('Type of review').selectOption({ label: 'Standard second opinion — EUR 450.00' });
  await expect(page.getByTestId('price-line')).toContainText('EUR 450.00');
  await expect(page.getByTestId('price-line')).toContainText('10 days');
  await page.getByLabel('Medical area').selectOption({ label: 'Cardiology' });
  await page.getByLabel('Age of the patient').fill('61');
  await page.getByLabel('Sex').selectOption('female');
  await page.getByLabel('Medical history').fill('Shortness of breath since spring; echo shows reduced ejection fraction.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText('Draft saved.')).toBeVisible();

  // Slow the upload down so the progress bars are there to see.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 256 * 1024,
  });
  await page.locator('#document-files').setInputFiles([
    { name: 'echo-report.pdf', mimeType: 'application/pdf', buffer: pdf(600) },
    { name: 'chest-xray.png', mimeType: 'image/png', buffer: png },
  ]);
  await expect(page.getByTestId('upload-row')).toHaveCount(2);
  await expect(page.locator('progress').first()).toBeVisible();
  await expect(page.getByTestId('upload-row').filter({ hasText: 'Uploaded' })).toHaveCount(2, { timeout: 30_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const documents = page.getByTestId('documents');
  await expect(documents).toContainText('echo-report.pdf');
  await expect(documents).toContainText('chest-xray.png');

  // Leave, come back: the draft and its documents are still there.
  await page.goto('/cases');
  await expect(page.getByRole('cell', { name: 'Draft' })).toBeVisible();
  await page.goto(editUrl);
  await hydrated(page);
  await expect(page.getByLabel('Medical history')).toHaveValue(/Shortness of breath/);
  await expect(page.getByTestId('documents')).toContainText('echo-report.pdf');

  // Submitting without a question names what is missing, next to the field.
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByText('Write at least one question for the specialists.')).toBeVisible();
  await page.getByLabel('Your questions for the specialists').fill('Is a valve replacement needed?');
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]+$/);
  await expect(page.locator('.case-header .badge')).toHaveText('Submitted');
  await expect(page.getByTestId('timeline')).toContainText('Case submitted');
  const reference = (await page.locator('.case-header .case-ref').textContent())!.trim();

  const admin = await browser.newPage();
  await signIn(admin, DEMO.admin);
  await expect(admin).toHaveURL(/\/admin$/);
  await hydrated(admin);
  await admin.getByLabel('Search').fill(reference);
  await admin.getByRole('button', { name: 'Filter' }).click();
  await expect(admin).toHaveURL(new RegExp(`search=${reference}`));
  await expect(admin.getByRole('link', { name: reference })).toHaveCount(1);
  await admin.getByRole('link', { name: reference }).click();
  await expect(admin.getByTestId('timeline')).toContainText('Case submitted');
  await expect(admin.getByTestId('timeline')).toContainText('Zuzanna Kowalczyk');
  await admin.close();
});

test('the admin configures a review type and a medical area with its pools', async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto('/admin/catalog');
  await hydrated(page);
  const form = page.locator('.add').first();
  await form.getByLabel('Name').fill('Tumour board review');
  await form.getByLabel('Price').fill('abc');
  await form.getByLabel('Expected days').fill('14');
  await form.getByRole('button', { name: 'Add review type' }).click();
  // The browser stops an ill-formed price before it is sent…
  expect(await form.getByLabel('Price').evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
  // …and the server refuses what the pattern cannot judge, next to the field.
  await form.getByLabel('Price').fill('2000000');
  await form.getByRole('button', { name: 'Add review type' }).click();
  await expect(form.getByText('The price is too large.')).toBeVisible();
  await form.getByLabel('Price').fill('1200');
  await form.getByRole('button', { name: 'Add review type' }).click();
  await expect(page.locator('input[value="Tumour board review"]')).toHaveCount(1);

  // A new medical area with one coordinator and one specialist.
  const area = page.locator('.add').nth(1);
  await area.getByLabel('Name').fill('Rheumatology');
  await area.getByRole('group', { name: 'Coordinators' }).getByLabel(/Inés García/).check();
  await area.getByRole('group', { name: 'Specialists' }).getByLabel(/Priya Raman/).check();
  await area.getByRole('button', { name: 'Add medical area' }).click();
  const saved = page.locator('.catalog-entry').filter({ has: page.locator('input[value="Rheumatology"]') });
  await expect(saved).toHaveCount(1);
  await expect(saved.getByRole('group', { name: 'Coordinators' }).getByLabel(/Inés García/)).toBeChecked();
  await expect(saved.getByRole('group', { name: 'Specialists' }).getByLabel(/Priya Raman/)).toBeChecked();
  await expect(saved.getByRole('group', { name: 'Specialists' }).getByLabel(/Mei Chen/)).not.toBeChecked();
});
