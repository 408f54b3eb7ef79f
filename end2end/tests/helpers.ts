import { expect, Page } from '@playwright/test';

export const DEMO_PASSWORD = 'consilium-demo';

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
