import { expect, test } from './fixtures';
import { DEMO, DEMO_PASSWORD, hydrated, noViolations, signIn } from './helpers';

// Arabic and English: the switch, right to left, the account keeping the choice, and no
// accessibility violation (axe-core, WCAG 2 A/AA) in either language.

const LAYLA = 'layla.haddad@example.com';

test('a visitor switches to Arabic: the page turns right to left and stays so', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByTestId('language-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { name: 'تسجيل الدخول' })).toBeVisible();
  await noViolations(page, 'login-ar');
  await page.goto('/register');
  await expect(page.getByRole('heading', { name: 'أنشئ حساب مريض' })).toBeVisible();
  await noViolations(page, 'register-ar');
  await page.getByTestId('language-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Create a patient account' })).toBeVisible();
});

test('a patient who reads Arabic gets her pages in Arabic on any browser', async ({ page }) => {
  // Her account reads Arabic; this browser has never chosen (English by Accept-Language).
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(LAYLA);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/cases$/);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { name: 'حالاتي' })).toBeVisible();
  // Her name, typed in Latin script, is isolated inside the Arabic header.
  await expect(page.locator('bdi[data-testid="account-name"]')).toHaveText('Layla Haddad');
  await noViolations(page, 'patient-cases-ar');
  await page.getByRole('button', { name: 'ابدأ حالة جديدة' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]+\/edit$/);
  await expect(page.getByLabel('التاريخ المرضي')).toBeVisible();
  await noViolations(page, 'intake-ar');
  for (const [path, name] of [['/account', 'account-ar'], ['/notifications', 'notifications-ar']]) {
    await page.goto(path);
    await noViolations(page, name);
  }
});

test('staff pages have no accessibility violation in English', async ({ page }) => {
  await signIn(page, DEMO.admin);
  for (const [path, name] of [['/admin', 'admin-queue'], ['/admin/catalog', 'admin-catalog'], ['/admin/accounts', 'admin-accounts'], ['/admin/audit', 'admin-audit']]) {
    await page.goto(path);
    await noViolations(page, name);
  }
  await signIn(page, DEMO.coordinator);
  await page.goto('/clinician');
  await noViolations(page, 'clinician-dashboard');
});

test('a patient reading English has no accessibility violation', async ({ page }) => {
  await signIn(page, DEMO.patient);
  for (const [path, name] of [['/cases', 'patient-cases'], ['/account', 'account'], ['/notifications', 'notifications']]) {
    await page.goto(path);
    await noViolations(page, name);
  }
});
