// The resident's web journey over plain HTTP, as a browser without JavaScript makes it (cookies, forms with
// the CSRF field): verify by code, apply, read the receipt, change, withdraw and apply again; every wrong
// step re-renders the page with an error and changes nothing.
import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { formPostOf } from '../helpers/formPost.js';
import { codeFor, nextPhone, openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';
import { hidden, residentBrowser } from '../helpers/residentBrowser.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await app?.close();
});

test.serial(
  'verify, apply, change, withdraw and apply again, with the wrong steps refused on the way',
  async (t) => {
    const c = await openVoucherCampaign(app);
    const b = residentBrowser(app);
    const base = `/campaigns/${c.id}`;
    const start = await b.get(`${base}/apply`);
    t.is(start.status, 200);
    const csrf = hidden(start.text, '_csrf');
    t.truthy(csrf, 'the verification form carries a CSRF token');
    t.is((await b.get(`${base}/verify/code`)).status, 302, 'a GET of a POST step starts again');

    const messages = async () => Number((await app.db('messages').count('* as n'))[0]!.n);
    const queued = await messages();
    const forged = await b.post(`${base}/verify/code`, {
      channel: 'sms',
      phone: nextPhone(),
      birth_date: '19820315',
    });
    t.is(forged.status, 403, 'no CSRF token: refused with the status of csrf_failed, as on the API');
    const badPhone = await b.post(`${base}/verify/code`, {
      _csrf: csrf,
      channel: 'sms',
      phone: '12345',
      birth_date: '19820315',
    });
    t.is(badPhone.status, 422);
    t.regex(badPhone.text, /href="#phone"/, 'the error summary links to the phone field');
    t.is(await messages(), queued, 'nothing was sent');

    const phone = nextPhone();
    const sent = await b.post(`${base}/verify/code`, {
      _csrf: csrf,
      channel: 'sms',
      phone,
      birth_date: '19820315',
    });
    t.is(sent.status, 200, sent.text.slice(0, 200));
    const challenge = hidden(sent.text, 'challenge_id');
    t.truthy(challenge);
    const code = await codeFor(app, challenge);
    const wrong = await b.post(`${base}/verify/check`, {
      _csrf: csrf,
      challenge_id: challenge,
      code: code === '000000' ? '111111' : '000000',
    });
    t.is(wrong.status, 422);
    t.is(hidden(wrong.text, 'challenge_id'), challenge, 'the same code page again, to try once more');
    t.false(b.jar.has('resident_session'));
    const right = await b.post(`${base}/verify/check`, { _csrf: csrf, challenge_id: challenge, code });
    t.is(right.status, 302);
    t.is(right.headers.get('location'), `${base}/apply`);
    t.true(b.jar.has('resident_session'));

    const form = await b.get(`${base}/apply`);
    t.is(form.status, 200);
    t.regex(form.text, /name="amount"/);
    const badAmount = await b.post(`${base}/apply`, { _csrf: csrf, amount: '15000' });
    t.is(badAmount.status, 422);
    t.regex(badAmount.text, /href="#amount"/);
    t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);

    const applied = await b.post(`${base}/apply`, { _csrf: csrf, amount: '100000' });
    t.is(applied.status, 302);
    t.is(applied.headers.get('location'), `${base}/application?done=applied`);
    const row = await app.db('applications').where({ campaign_id: c.id }).first();
    t.is(row.channel, 'web');
    const receipt = await b.get(`${base}/application?done=applied`);
    t.true(receipt.text.includes(row.public_id), 'the receipt page shows the public id');
    t.is(
      (await b.get(`${base}/apply`)).headers.get('location'),
      `${base}/application`,
      'applied: to the receipt',
    );

    const edit = await b.get(`${base}/application?edit=1`);
    t.regex(edit.text, /name="amount"/);
    const badChange = await b.post(`${base}/application`, { _csrf: csrf, amount: '260000' });
    t.is(badChange.status, 422);
    const changed = await b.post(`${base}/application`, { _csrf: csrf, amount: '50000' });
    t.is(changed.headers.get('location'), `${base}/application?done=changed`);
    t.is(Number((await app.db('applications').where({ id: row.id }).first()).request), 50_000);

    // Withdrawing asks first: the receipt's button is a GET of a page that says what it does, changing nothing.
    const statusNow = async () => (await app.db('applications').where({ id: row.id }).first()).status;
    const active = await b.get(`${base}/application`);
    t.regex(active.text, new RegExp(`<form method="get" action="${base}/application/withdraw">`));
    const ask = await b.get(`${base}/application/withdraw`);
    t.is(ask.status, 200);
    t.true(ask.text.includes('신청을 취소할까요?'));
    t.true(ask.text.includes(row.public_id));
    t.true(ask.text.includes('취소하면 이 신청은 추첨에 들어가지 않습니다.'));
    t.regex(
      ask.text,
      /신청 마감\(.+\) 전에는 다시 신청할 수 있습니다\. 마감 뒤에는 다시 신청할 수 없습니다\./,
    );
    t.regex(
      ask.text,
      new RegExp(`<a class="button" href="${base}/application">아니요, 신청을 유지합니다</a>`),
    );
    t.is(await statusNow(), 'active', 'asking withdraws nothing');
    const noToken = await b.post(`${base}/application/withdraw`, { confirm: 'yes' });
    t.not(noToken.status, 302, 'withdrawing needs the CSRF token');
    t.not(noToken.status, 303);
    t.is(await statusNow(), 'active');
    const unasked = await b.post(`${base}/application/withdraw`, { _csrf: csrf });
    t.is(unasked.headers.get('location'), `${base}/application/withdraw`, 'a press without the yes is asked');
    t.is(await statusNow(), 'active');
    const yes = formPostOf(ask.text, `${base}/application/withdraw`);
    t.is(yes.confirm, 'yes');
    const withdrawn = await b.post(`${base}/application/withdraw`, yes);
    t.is(withdrawn.headers.get('location'), `${base}/application?done=withdrawn`);
    t.is(await statusNow(), 'withdrawn');
    // The withdrawn receipt says so and promises no result: no draw time, no "keep the number for the result".
    const gone = await b.get(`${base}/application?done=withdrawn`);
    t.true(gone.text.includes('이 신청은 취소되어 추첨에 들어가지 않습니다.'));
    t.false(gone.text.includes('추첨 결과를 확인할 때 필요합니다'), 'no result promised');
    t.false(gone.text.includes('id="draw-at"'), 'no draw time');
    t.false(gone.text.includes('변경하거나 취소할 수 있습니다'));
    t.regex(gone.text, new RegExp(`href="${base}/apply">다시 신청하기<`));
    t.is((await b.get(`${base}/application/withdraw`)).headers.get('location'), `${base}/application`);

    // Withdrawn while the window is open: the form again, and applying keeps the public id.
    const again = await b.get(`${base}/apply`);
    t.is(again.status, 200);
    const reapplied = await b.post(`${base}/apply`, { _csrf: csrf, amount: '30000' });
    t.is(reapplied.status, 302);
    const after = await app.db('applications').where({ id: row.id }).first();
    t.is(after.status, 'active');
    t.is(after.public_id, row.public_id);
    t.is(Number(after.request), 30_000);
  },
);
