import { expect, test } from './fixtures';
import { CANARY, hydrated, openEmailedLink, registerPatient, submittedCase } from './helpers';

test('a new patient confirms the emailed link, submits a case, forgets the password and resets it; the old session ends', async ({ page, browser }) => {
  const email = `forgetful.${Date.now()}@example.com`;
  // The confirmation email arrives through the SMTP server scripts/test.sh runs.
  await registerPatient(page, 'Olga Nowicka', email, CANARY.password);
  await submittedCase(page.request);
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('table')).toContainText('Submitted');

  // On another device, signed out, "Forgot your password?" from the sign-in page.
  const other = await browser.newPage();
  await other.goto('/login');
  await hydrated(other);
  await other.getByRole('link', { name: 'Forgot your password?' }).click();
  await hydrated(other);
  await other.getByLabel('Email').fill(email);
  await other.getByRole('button', { name: 'Send the link' }).click();
  await expect(other.getByTestId('check-email')).toContainText('Check your email');

  await openEmailedLink(other, email, 'Reset your Consilium password', '/reset-password');
  const newPassword = 'a different long passphrase';
  await other.getByLabel('New password').fill(newPassword);
  await other.getByRole('button', { name: 'Set the new password' }).click();
  await expect(other.getByTestId('password-changed')).toContainText('Your password is changed');

  // The first device's session is gone: its next page asks to sign in.
  await page.goto('/cases');
  await expect(page).toHaveURL(/\/login$/);

  // The old password no longer works; the new one does.
  await other.getByRole('link', { name: 'Sign in with your new password' }).click();
  await hydrated(other);
  await other.getByLabel('Email').fill(email);
  await other.getByLabel('Password').fill(CANARY.password);
  await other.getByRole('button', { name: 'Sign in' }).click();
  await expect(other.getByRole('alert')).toHaveText('The email or password is not right.');
  await other.getByLabel('Password').fill(newPassword);
  await other.getByRole('button', { name: 'Sign in' }).click();
  await expect(other).toHaveURL(/\/cases$/);
});
