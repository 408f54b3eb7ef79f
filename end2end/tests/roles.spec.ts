import { expect, test } from './fixtures';
import { CANARY, DEMO, hydrated, registerPatient, signIn } from './helpers';

const homes = [
  { who: 'admin', email: DEMO.admin, path: '/admin', heading: 'Case queue', name: 'Alex Morgan' },
  { who: 'coordinator', email: DEMO.coordinator, path: '/clinician', heading: 'Cases I coordinate', name: 'Zofia Wójcik' },
  { who: 'specialist', email: DEMO.specialist, path: '/clinician', heading: 'Cases I coordinate', name: 'Henrik Larsen' },
  { who: 'patient', email: DEMO.patient, path: '/cases', heading: 'My cases', name: 'Maria Rossi' },
];

for (const home of homes) {
  test(`the ${home.who} signs in and lands on their own home`, async ({ page }) => {
    await signIn(page, home.email);
    await expect(page).toHaveURL(new RegExp(`${home.path}$`));
    await expect(page.getByRole('heading', { level: 1, name: home.heading })).toBeVisible();
    await expect(page.getByTestId('account-name')).toHaveText(home.name);
  });
}

test('a patient opening the admin queue is refused', async ({ page }) => {
  await signIn(page, DEMO.patient);
  await expect(page).toHaveURL(/\/cases$/);
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Case queue' })).toHaveCount(0);
});

test('a signed-out visitor is sent to sign in', async ({ page }) => {
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/login$/);
});

test('a wrong password shows one message that does not say which part was wrong', async ({ page }) => {
  await signIn(page, DEMO.specialist, 'not the password', false);
  await expect(page.getByRole('alert')).toHaveText('The email or password is not right.');
  await expect(page).toHaveURL(/\/login$/);
});

test('signing out ends the session on the server: the old cookie no longer works', async ({ page, context }) => {
  await signIn(page, DEMO.admin);
  await expect(page).toHaveURL(/\/admin$/);
  const before = (await context.cookies()).find((c) => c.name.endsWith('consilium_session'));
  expect(before?.httpOnly).toBe(true);
  await hydrated(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  // Put the old cookie back, as an attacker who copied it would.
  await context.addCookies([before!]);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Case queue' })).toHaveCount(0);
});

test('a new patient registers, confirms the emailed link and lands on an empty case list', async ({ page }) => {
  const email = `new.patient.${Date.now()}@example.com`;
  await registerPatient(page, 'Łucja Żak', email, CANARY.password);
  await expect(page.getByTestId('account-name')).toHaveText('Łucja Żak');
  await expect(page.getByText('You have no cases yet.')).toBeVisible();
});
