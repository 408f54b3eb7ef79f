import { expect, test } from './fixtures';
import { DEMO, hydrated, pyotp, signIn } from './helpers';

test('a new admin chooses a password, sets up two-factor sign-in with an outside authenticator, and signs in with it', async ({ page, browser }) => {
  const email = `new.admin.${Date.now()}@consilium.test`;
  const first = 'typed by the first admin';
  const own = 'the new admin chose this';
  await signIn(page, DEMO.admin);
  await page.goto('/admin/accounts');
  await hydrated(page);
  await page.getByLabel('Role').selectOption('admin');
  await page.getByLabel('Full name').fill('Noor Haddad');
  await page.getByLabel('Sign-in email').fill(email);
  await page.getByLabel('Initial password').fill(first);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('cell', { name: email })).toBeVisible();

  // First sign-in: the password the admin typed leads only to choosing one's own…
  const noor = await browser.newPage();
  await signIn(noor, email, first);
  await expect(noor).toHaveURL(/\/account\/password$/);
  await expect(noor.getByTestId('choose-password')).toBeVisible();
  await noor.goto('/admin');
  await expect(noor).toHaveURL(/\/account\/password$/);
  await hydrated(noor);
  await noor.getByLabel('Current password').fill(first);
  await noor.getByLabel('New password').fill(own);
  await noor.getByRole('button', { name: 'Change password' }).click();
  await expect(noor.getByTestId('password-changed')).toBeVisible();

  // …then to setting up the second factor, which every other page waits for.
  await noor.goto('/admin');
  await expect(noor).toHaveURL(/\/account\/two-factor$/);
  await hydrated(noor);
  await expect(noor.getByTestId('two-factor-required')).toBeVisible();
  await noor.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(noor.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await noor.getByTestId('totp-secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const enrolledAt = Math.floor(Date.now() / 1000);
  await noor.getByLabel('The six-digit code the app shows now').fill(pyotp(secret, enrolledAt));
  await noor.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(noor.getByTestId('two-factor-on')).toBeVisible();
  await expect(noor.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
  await noor.getByRole('link', { name: 'Continue' }).click();
  await expect(noor).toHaveURL(/\/admin$/);

  // Signing in again takes the password and a code; a wrong code is refused.
  await noor.getByRole('button', { name: 'Sign out' }).click();
  await expect(noor).toHaveURL(/\/login$/);
  await hydrated(noor);
  await noor.getByLabel('Email').fill(email);
  await noor.getByLabel('Password').fill(own);
  await noor.getByRole('button', { name: 'Sign in' }).click();
  await expect(noor).toHaveURL(/\/login\/code$/);
  await noor.getByLabel('Code').fill('000000');
  await noor.getByRole('button', { name: 'Sign in' }).click();
  await expect(noor.getByText('This code is not right, or was used already.')).toBeVisible();
  // The next step's code: the one that confirmed the setup counts as used.
  await noor.getByLabel('Code').fill(pyotp(secret, enrolledAt + 30));
  await noor.getByRole('button', { name: 'Sign in' }).click();
  await expect(noor).toHaveURL(/\/admin$/);

  // The first admin sees the second factor on, and can reset it (audited).
  await page.reload();
  await hydrated(page);
  const row = page.getByRole('row', { name: new RegExp(email) });
  await expect(row).toContainText('Two-factor on');
  await row.getByRole('button', { name: 'Reset two-factor' }).click();
  await expect(row).not.toContainText('Two-factor on');
  await noor.goto('/admin');
  await expect(noor).toHaveURL(/\/login$/);
});

test('a patient sees where they are signed in and signs out another device', async ({ page, browser }) => {
  await signIn(page, DEMO.patient);
  const other = await browser.newPage({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1' });
  await signIn(other, DEMO.patient);
  await page.getByRole('link', { name: 'Your account' }).click();
  await page.getByRole('link', { name: 'Your sessions' }).click();
  await hydrated(page);
  const sessions = page.getByTestId('sessions');
  const phone = sessions.getByRole('listitem').filter({ hasText: 'Safari on iPhone' });
  await expect(phone).toHaveCount(1);
  await expect(sessions.getByTestId('this-device')).toHaveCount(1);
  await phone.getByRole('button', { name: 'Sign out this session' }).click();
  await expect(phone).toHaveCount(0);
  await other.goto('/cases');
  await expect(other).toHaveURL(/\/login$/);
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/cases');
  await expect(page).toHaveURL(/\/login$/);
});

test("a coordinator changes their phone and the patient's care team card shows it", async ({ page, browser }) => {
  const phone = `+48 22 ${String(Date.now()).slice(-3)} 40 40`;
  await signIn(page, DEMO.coordinator);
  const setPhone = async (value: string) => {
    await page.goto('/account/profile');
    await hydrated(page);
    await expect(page.getByLabel('Specialties')).toHaveCount(0); // the service keeps those
    await page.getByLabel('Contact phone (shown to your patients)').fill(value);
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.getByTestId('profile-saved')).toBeVisible();
  };
  const demoPhone = await (async () => {
    await page.goto('/account/profile');
    await hydrated(page);
    return page.getByLabel('Contact phone (shown to your patients)').inputValue();
  })();
  await setPhone(phone);

  const patient = await browser.newPage();
  await signIn(patient, 'tomasz.nowak@example.com');
  const cases = await (await patient.request.post('/api/my_cases', { headers: { Accept: 'application/json' } })).json();
  const underReview = cases.find((c: { status: string }) => c.status === 'DoctorsAssigned').id;
  await patient.goto(`/cases/${underReview}`);
  await hydrated(patient);
  const coordinator = patient.locator('.team-member').filter({ hasText: 'Zofia Wójcik' });
  await expect(coordinator).toContainText(phone);
  // The demo journeys expect the demo's number.
  await setPhone(demoPhone);
});
