import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { DEMO, hydrated, signIn } from './helpers';

// Patients mostly come on phones: every main page of every role fits a 360 px wide screen
// without sideways scrolling, and what can be tapped is at least 44 px tall. Screenshots of
// each page are kept under test-results/mobile/ to be looked at.
test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

const TOMASZ = 'tomasz.nowak@example.com';

async function caseIds(page: Page): Promise<{ completed: string; underReview: string }> {
  const response = await page.request.post('/api/my_cases', { headers: { Accept: 'application/json' } });
  const cases: { id: string; status: string }[] = await response.json();
  const completed = cases.find((c) => c.status === 'Completed')!.id;
  const underReview = cases.find((c) => c.status === 'DoctorsAssigned')!.id;
  return { completed, underReview };
}

async function fits(page: Page, name: string) {
  await hydrated(page);
  // On a phone the layout viewport widens to whatever is too wide, so the screen's own width is
  // the measure, as well as innerWidth.
  const screen = page.viewportSize()!.width;
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect.soft(innerWidth, `${name}: the page widened the viewport to ${innerWidth} px`).toBeLessThanOrEqual(screen);
  await page.screenshot({ path: `test-results/mobile/${name}.png`, fullPage: true });
  await page.screenshot({ path: `test-results/mobile/${name}-screen.png` });
  expect.soft(scrollWidth, `${name}: ${scrollWidth} px wide on a ${innerWidth} px screen`).toBeLessThanOrEqual(innerWidth);
  // Buttons and the header's links are comfortable to tap.
  const small = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('header a, header button, main button, main .button')]
      .filter((e) => e.offsetParent !== null)
      .map((e) => ({ text: (e.innerText || e.getAttribute('aria-label') || '').trim(), height: e.getBoundingClientRect().height }))
      .filter((e) => e.height < 44),
  );
  expect.soft(small, `${name}: touch targets under 44 px`).toEqual([]);
}

test('signed-out pages fit a 360 px screen', async ({ page }) => {
  for (const [path, name] of [['/', 'landing'], ['/login', 'login'], ['/login/code', 'login-code'], ['/register', 'register']]) {
    await page.goto(path);
    await fits(page, name);
  }
});

test("a patient's pages fit a 360 px screen", async ({ page }) => {
  await signIn(page, TOMASZ);
  const { completed, underReview } = await caseIds(page);
  for (const [path, name] of [
    ['/cases', 'patient-cases'],
    [`/cases/${completed}`, 'patient-case-completed'],
    [`/cases/${underReview}`, 'patient-case-under-review'],
    [`/cases/${completed}/report`, 'patient-report'],
    ['/notifications', 'patient-notifications'],
    ['/account', 'patient-account'],
    ['/account/profile', 'patient-profile'],
    ['/account/password', 'patient-password'],
    ['/account/two-factor', 'patient-two-factor'],
    ['/account/sessions', 'patient-sessions'],
  ]) {
    await page.goto(path);
    await fits(page, name);
  }
  // The intake form of a new draft.
  await signIn(page, DEMO.patient);
  await page.goto('/cases');
  await hydrated(page);
  await page.getByRole('button', { name: 'Start a new case' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]+\/edit$/);
  await fits(page, 'patient-intake');
});

test("clinicians' pages fit a 360 px screen", async ({ page }) => {
  await signIn(page, TOMASZ);
  const { underReview } = await caseIds(page);
  for (const [email, who] of [[DEMO.coordinator, 'coordinator'], [DEMO.specialist, 'specialist']]) {
    await signIn(page, email);
    await page.goto('/clinician');
    await fits(page, `${who}-dashboard`);
    await page.goto(`/cases/${underReview}`);
    await fits(page, `${who}-case`);
    await page.goto('/account/profile');
    await fits(page, `${who}-profile`);
  }
});

test("the admin's pages fit a 360 px screen", async ({ page }) => {
  await signIn(page, TOMASZ);
  const { underReview } = await caseIds(page);
  await signIn(page, DEMO.admin);
  for (const [path, name] of [
    ['/admin', 'admin-queue'],
    [`/cases/${underReview}`, 'admin-case'],
    ['/admin/catalog', 'admin-catalog'],
    ['/admin/accounts', 'admin-accounts'],
    ['/admin/audit', 'admin-audit'],
  ]) {
    await page.goto(path);
    await fits(page, name);
  }
});

test('pages in Arabic fit a 360 px screen, right to left', async ({ page }) => {
  const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
  await page.context().addCookies([{ name: 'consilium_lang', value: 'ar', url: base }]);
  for (const [path, name] of [['/', 'landing-ar'], ['/login', 'login-ar'], ['/register', 'register-ar']]) {
    await page.goto(path);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await fits(page, name);
  }
  await page.context().clearCookies();
  // Her account reads Arabic: the sign-in brings it to this browser.
  await signIn(page, 'layla.haddad@example.com');
  for (const [path, name] of [
    ['/cases', 'arabic-patient-cases'],
    ['/notifications', 'arabic-patient-notifications'],
    ['/account', 'arabic-patient-account'],
    ['/account/sessions', 'arabic-patient-sessions'],
  ]) {
    await page.goto(path);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await fits(page, name);
  }
});
