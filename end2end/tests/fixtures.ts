import { expect, test as base } from '@playwright/test';

/**
 * Every test fails on a browser error: a panic, a hydration mismatch, a CSP violation. Responses
 * a test provokes on purpose (403 for a refused page, 401 for a wrong password) are not errors.
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (/Failed to load resource: the server responded with a status of (401|403|404)/.test(m.text())) return;
      errors.push(m.text());
    });
    await use(page);
    expect(errors, 'browser errors').toEqual([]);
  },
});

export { expect };
