import { Browser, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { DEMO, hydrated, signIn, submittedCase } from './helpers';

async function openCase(page: Page, caseId: string) {
  await page.goto(`/cases/${caseId}`);
  await hydrated(page);
}

/** The patient submits a case; an admin, in a page of their own, opens it. */
async function submittedCaseOpenedByAdmin(page: Page, browser: Browser): Promise<{ caseId: string; admin: Page }> {
  await signIn(page, DEMO.patient);
  const caseId = await submittedCase(page.request);
  const admin = await browser.newPage();
  await signIn(admin, DEMO.admin);
  await openCase(admin, caseId);
  return { caseId, admin };
}

test('from submission to review: assign a coordinator, pay, assign two specialists', async ({ page, browser }) => {
  // The patient submits a case; the admin assigns a coordinator from the Cardiology pool.
  const { caseId, admin } = await submittedCaseOpenedByAdmin(page, browser);
  const picker = admin.getByTestId('coordinator-picker');
  await expect(picker.getByRole('option', { name: /Zofia Wójcik/ })).toHaveCount(1);
  await expect(picker.getByRole('option', { name: /Inés García/ })).toHaveCount(1);
  await expect(picker.getByRole('option', { name: /Samuel Okafor/ })).toHaveCount(0);
  const zofia = await picker.getByRole('option', { name: /Zofia Wójcik/ }).getAttribute('value');
  await picker.getByLabel(/Coordinator/).selectOption(zofia!);
  await picker.getByRole('button', { name: 'Assign coordinator' }).click();
  await expect(admin.getByTestId('timeline')).toContainText('Coordinator assigned');
  await expect(admin.getByTestId('timeline')).toContainText('Awaiting payment');

  // The coordinator keeps their dashboard open while the patient pays.
  const coordinator = await browser.newPage();
  await signIn(coordinator, DEMO.coordinator);
  await hydrated(coordinator);
  const row = coordinator.locator('tr').filter({ has: coordinator.locator(`a[href="/cases/${caseId}"]`) });
  await expect(row).toContainText('Awaiting payment');

  // The patient sees the payment prompt and pays on the test checkout.
  await openCase(page, caseId);
  const prompt = page.getByTestId('payment-prompt');
  await expect(prompt).toContainText('EUR 450.00');
  await prompt.getByRole('link', { name: 'Pay EUR 450.00' }).click();
  await hydrated(page);
  await expect(page.getByRole('main').getByText('TEST MODE')).toBeVisible();
  await expect(page.getByTestId('test-mode')).toContainText('Test mode');
  await expect(page.getByTestId('checkout-amount')).toHaveText('EUR 450.00');
  await page.getByRole('button', { name: 'Pay EUR 450.00' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}$`));
  await expect(page.getByTestId('timeline')).toContainText('Payment received');

  // After payment the admin can no longer change the coordinator.
  await openCase(admin, caseId);
  await expect(admin.getByTestId('coordinator-picker')).toHaveCount(0);

  // Without a reload, the coordinator's dashboard shows the payment and the bell counts it.
  await expect(row).toContainText('Paid', { timeout: 15_000 });
  await expect(coordinator.getByTestId('unread-count')).toHaveText(/^[1-9][0-9]*$/);

  // The dashboard filters as the coordinator types.
  await coordinator.getByLabel('Status').selectOption('completed');
  await expect(row).toHaveCount(0);
  await coordinator.getByLabel('Status').selectOption('');
  await coordinator.getByLabel('Find').fill('maria');
  await expect(row).toHaveCount(1);
  await coordinator.getByLabel('Find').fill('nobody-by-this-name');
  await expect(row).toHaveCount(0);

  // The coordinator assigns two specialists.
  await openCase(coordinator, caseId);
  const specialists = coordinator.getByTestId('specialist-picker');
  await specialists.getByLabel(/Henrik Larsen/).check();
  await specialists.getByLabel(/Amara Nwosu/).check();
  await specialists.getByRole('button', { name: 'Assign specialists' }).click();
  await expect(coordinator.getByTestId('timeline')).toContainText('Doctors assigned');

  // The patient's card shows the coordinator's contact details and the expected date.
  await openCase(page, caseId);
  await expect(page.getByTestId('team')).toContainText('zofia.wojcik@consilium.test');
  await expect(page.getByTestId('team')).toContainText('+48 22 555 0101');
  await expect(page.locator('.facts')).not.toContainText('Set when specialists are assigned');

  // The doctors see the case.
  const doctor = await browser.newPage();
  await signIn(doctor, DEMO.specialist);
  await openCase(doctor, caseId);
  await expect(doctor.locator('.case-header .badge')).toHaveText('Under specialist review');
  await expect(doctor.getByTestId('payment-prompt')).toHaveCount(0);
});

test('reassigning before payment keeps the same payment link', async ({ page, browser }) => {
  const { caseId, admin } = await submittedCaseOpenedByAdmin(page, browser);
  await admin.getByTestId('coordinator-picker').getByLabel(/Coordinator/).selectOption({ index: 1 });
  await admin.getByRole('button', { name: 'Assign coordinator' }).click();
  await expect(admin.getByRole('button', { name: 'Change coordinator' })).toBeVisible();

  await openCase(page, caseId);
  const linkBefore = await page.getByTestId('payment-prompt').getByRole('link').getAttribute('href');

  await admin.getByTestId('coordinator-picker').getByLabel(/Coordinator/).selectOption({ index: 1 });
  await admin.getByRole('button', { name: 'Change coordinator' }).click();
  await expect(admin.getByTestId('timeline')).toContainText('Coordinator reassigned');

  await openCase(page, caseId);
  const linkAfter = await page.getByTestId('payment-prompt').getByRole('link').getAttribute('href');
  expect(linkAfter).toBe(linkBefore);
});
