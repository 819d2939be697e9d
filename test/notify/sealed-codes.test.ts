// A one-time code never sits readable in the messages table: the SMS or email text that carries it is sealed
// under DATA_KEY when queued, opened only to send it, and on the development outbox for a local developer.
import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { codeFor, nextPhone, ROOMY_LIMITS } from '../helpers/intake.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await app?.close();
});

for (const channel of ['sms', 'email'] as const) {
  test(`a code by ${channel} is stored sealed, and the development outbox shows it`, async (t) => {
    const contact =
      channel === 'sms' ? { phone: nextPhone() } : { email: `sealed-${Date.now()}@example.org` };
    const sent = await app.request('POST', '/api/identity/codes', {
      json: { channel, birth_date: '19820315', ...contact },
    });
    t.is(sent.status, 202, sent.text);
    const code = await codeFor(app, sent.json.challenge_id);
    const row = await app
      .db('messages')
      .where({ dedupe_key: `otp:${sent.json.challenge_id}` })
      .first();
    t.true(row.sealed);
    const stored = JSON.stringify(row);
    t.false(stored.includes(code), 'the code is nowhere in the stored row');
    const everything = await app.db.raw(`SELECT string_agg(m::text, '') AS all FROM messages m`);
    t.false(String(everything.rows[0].all).includes(code), 'nor anywhere in the table');

    // what the outbox channel recorded is listed with the code readable, HTML and JSON
    await app.db('messages').where({ id: row.id }).update({ provider: 'outbox', status: 'sent' });
    const page = await app.request('GET', '/dev/outbox', { headers: { accept: 'text/html' } });
    t.is(page.status, 200);
    t.true(page.text.includes(code), 'the developer reads the code on /dev/outbox');
    const json = await app.request('GET', '/dev/outbox');
    t.true(JSON.stringify(json.json).includes(code));
  });
}
