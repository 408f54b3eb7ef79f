import Stripe from 'stripe';
import { expect, test } from './fixtures';

// An outside check of our webhook verification: signatures made by Stripe's own SDK (with the
// test provider's secret, which scripts/test.sh gives the server and this suite) are accepted;
// altered payloads are not.
const SECRET = process.env.CONSILIUM_TEST_PAYMENT_SECRET ?? '';
if (!SECRET) throw new Error('CONSILIUM_TEST_PAYMENT_SECRET must name the test server\'s webhook secret');
const stripe = new Stripe('sk_test_unused');

test("signatures made by Stripe's SDK are accepted and an altered payload is refused", async ({ request }) => {
  const payload = JSON.stringify({
    id: `evt_sdk_${Date.now()}`,
    type: 'checkout.session.completed',
    data: { object: { id: 'cs_sdk', client_reference_id: 'no-such-payment', amount_total: 1, currency: 'eur', payment_status: 'paid' } },
  });
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
  const post = (body: string, signature: string) =>
    request.post('/webhooks/payments', { data: body, headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature } });

  const accepted = await post(payload, header);
  expect(accepted.status()).toBe(200);
  expect(await accepted.text()).toBe('ignored');
  expect(await (await post(payload, header)).text()).toBe('duplicate');

  const altered = payload.replace('"amount_total":1', '"amount_total":2');
  expect((await post(altered, header)).status()).toBe(400);
  const otherSecret = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_someone_else' });
  expect((await post(payload, otherSecret)).status()).toBe(400);
  const stale = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 });
  expect((await post(payload, stale)).status()).toBe(400);
});
