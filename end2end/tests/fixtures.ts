import { expect, test as base } from '@playwright/test';

/**
 * Every test fails on a browser error: a panic, a hydration mismatch, a CSP violation. Client
 * errors a test provokes on purpose (401 wrong password, 403 refused page, 404, 409 conflict,
 * 413/415/422 refused input) are answers, not errors.
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (/Failed to load resource: the server responded with a status of (401|403|404|409|413|415|422)/.test(m.text())) return;
      errors.push(m.text());
    });
    await use(page);
    expect(errors, 'browser errors').toEqual([]);
  },
});

export { expect };
