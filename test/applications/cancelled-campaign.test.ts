// A lottery cancelled after people applied: the cancel queues one job, and the worker tells each active applicant
// with a contact, once, that there will be no draw and nothing was charged (a rerun writes nothing again; a contact
// that will not open is skipped); their page, the API and SMS STATUS say the campaign was cancelled instead of
// naming a draw that will not come. A campaign still scheduled may hold applications (the database clock opens it);
// a draft queues no job.
import test from 'ava';
import { changeCampaignState } from '../../src/commands/changeCampaignState.js';
import { tellOfCancel } from '../../src/commands/tellOfCancel.js';
import { CANCEL_NOTICES_TASK } from '../../src/db/repos/cancelJobs.js';
import { CANCEL_MESSAGE_MAX } from '../../src/domain/campaign.js';
import { DomainError } from '../../src/domain/errors.js';
import { answerFor } from '../../src/http/errors.js';
import { fieldMessages } from '../../src/http/problems.js';
import { translator } from '../../src/i18n/catalogue.js';
import { encryptText } from '../../src/identity/crypto.js';
import { openedTexts } from '../../src/notify/recipient.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { drawContext, runDrawJobs } from '../helpers/draw.js';
import { textService } from '../helpers/inboundSms.js';
import { appliedResident, openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';

const TOKEN = 'cancelled-campaign-twilio-token-01';
let app: TestApp;
test.before(async () => {
  app = await startTestApp({
    config: { TWILIO_AUTH_TOKEN: TOKEN },
    intake: { limits: ROOMY_LIMITS, rulesTtlMs: 0 },
  });
});
test.after.always(async () => {
  await app?.close();
});

const sms = (from: string, body: string) => textService(app, TOKEN, from, body);

const jobsOf = (campaignId: string) =>
  app
    .db('graphile_worker.jobs')
    .where({ task_identifier: CANCEL_NOTICES_TASK, key: `cancel-notices:${campaignId}` });
const cancelNotices = (campaignId: string) =>
  app.db('messages').where({ campaign_id: campaignId, kind: 'application_cancelled' }).orderBy('created_at');

test.serial(
  'applicants of a cancelled lottery are told once, and their page, API and STATUS say so',
  async (t) => {
    const c = await openVoucherCampaign(app);
    const admin = await app.staff('admin');
    // Three apply over the API (one then withdraws), one by SMS.
    const people = [
      await appliedResident(app, c.id),
      await appliedResident(app, c.id),
      await appliedResident(app, c.id),
    ];
    const receipts = people.map((p) => p.publicId);
    const withdrawn = await app.request('DELETE', `/api/campaigns/${c.id}/application`, {
      headers: people[2]!.headers,
    });
    t.is(withdrawn.status, 200, withdrawn.text);
    const texter = '+821055519001';
    t.regex(await sms(texter, `신청 ${c.code} 50000 19820315`), /신청 완료/);
    const before = await app.request('GET', `/api/campaigns/${c.id}/application`, {
      headers: people[0]!.headers,
    });
    t.truthy(before.json.draw_at, 'before the cancel: the draw to wait for');

    const res = await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, {
      as: admin,
      json: { reason: 'budget withdrawn' },
    });
    t.is(res.status, 200, res.text);
    t.is((await jobsOf(c.id)).length, 1, 'one job to tell them, queued with the cancel');
    t.is((await cancelNotices(c.id)).length, 0, 'nobody told before the worker runs it');

    await runDrawJobs(drawContext(app.db, app.clock));
    const told = await cancelNotices(c.id);
    t.is(told.length, 3, 'the two who applied over the API and the texter; not the one who withdrew');
    t.deepEqual(
      told.map((m) => m.channel),
      ['sms', 'sms', 'sms'],
    );
    const bodies = told.map((m) => openedTexts(m, TEST_SECRETS.dataKey).body);
    for (const id of receipts.slice(0, 2))
      t.true(
        bodies.some((b) => b.includes(id)),
        `${id} named in its notice`,
      );
    t.false(
      bodies.some((b) => b.includes(receipts[2]!)),
      'the withdrawn application is not told',
    );
    t.true(
      bodies.every((b) => b.includes('취소 안내: 접수번호') && b.includes('결제된 금액은 없습니다')),
      bodies.join('\n'),
    );
    t.is((await jobsOf(c.id)).length, 0, 'the job is done');

    // Run again (a retried job): nothing written twice.
    const again = await tellOfCancel({ ...drawContext(app.db, app.clock) }, c.id, { batchSize: 1 });
    t.deepEqual(again, { batches: 3, notices: 0 });
    t.is((await cancelNotices(c.id)).length, 3);

    // The resident's page: the cancel, not a draw date; nothing to change or withdraw.
    for (const lang of ['ko', 'en'] as const) {
      const page = await app.request(
        'GET',
        `/campaigns/${c.id}/application${lang === 'en' ? '?lang=en' : ''}`,
        {
          headers: { ...people[0]!.headers, accept: 'text/html' },
        },
      );
      t.is(page.status, 200);
      t.true(page.text.includes('id="campaign-cancelled"'), page.text);
      t.false(page.text.includes('id="window-closed"'));
      t.false(page.text.includes('/application/withdraw'));
      t.true(page.text.includes(lang === 'ko' ? '이 사업은 취소되었습니다' : 'This campaign was cancelled'));
      t.true(
        page.text.includes(lang === 'ko' ? '사업 취소됨' : 'Campaign cancelled'),
        'the status says so too',
      );
      t.false(
        page.text.includes(`href="/campaigns/${c.id}"`),
        'no link to the campaign page, not public now',
      );
    }
    // Signed out (the notice's link, a session run out): the sign-in page says so, with no link to the campaign page.
    const out = await app.request('GET', `/campaigns/${c.id}/apply`, { headers: { accept: 'text/html' } });
    t.is(out.status, 200);
    t.true(out.text.includes('id="campaign-cancelled"'), out.text);
    t.false(out.text.includes(`href="/campaigns/${c.id}"`));
    // The API: no draw to wait for, nothing to look again for.
    const after = await app.request('GET', `/api/campaigns/${c.id}/application`, {
      headers: people[0]!.headers,
    });
    t.is(after.status, 200);
    t.like(after.json, { result: null, cancelled: true });
    t.is(after.json.draw_at, undefined);
    t.is(after.headers.get('retry-after'), null);
    // SMS STATUS: the application stands for nothing now.
    t.regex(await sms(texter, `상태 ${c.code}`), /\(사업 취소\)$/);
    // SMS CANCEL: nothing left to withdraw there.
    t.regex(await sms(texter, '취소'), /취소할 신청이 없습니다\.$/);
  },
);

test.serial(
  'a campaign still scheduled whose opening passed by the database clock tells its applicants; a draft queues nothing',
  async (t) => {
    const admin = await app.staff('admin');
    const late = await openVoucherCampaign(app);
    await appliedResident(app, late.id);
    // the reconciler has not moved it yet: the window is open by the database clock all the same
    await app.db('campaigns').where({ id: late.id }).update({ state: 'scheduled' });
    const res = await app.request('POST', `/api/admin/campaigns/${late.id}/cancel`, { as: admin, json: {} });
    t.is(res.status, 200, res.text);
    await runDrawJobs(drawContext(app.db, app.clock));
    t.is((await jobsOf(late.id)).length, 0, 'the job ran to its end');
    t.is((await cancelNotices(late.id)).length, 1);

    const empty = await openVoucherCampaign(app);
    t.is(
      (await app.request('POST', `/api/admin/campaigns/${empty.id}/cancel`, { as: admin, json: {} })).status,
      200,
    );
    t.is((await jobsOf(empty.id)).length, 1);
    await runDrawJobs(drawContext(app.db, app.clock));
    t.is((await jobsOf(empty.id)).length, 0, 'nobody applied: the job ends at once');
    t.is((await cancelNotices(empty.id)).length, 0);

    const draft = await openVoucherCampaign(app);
    await app.db('campaigns').where({ id: draft.id }).update({ state: 'draft' });
    t.is(
      (await app.request('POST', `/api/admin/campaigns/${draft.id}/cancel`, { as: admin, json: {} })).status,
      200,
    );
    t.is((await jobsOf(draft.id)).length, 0, 'a draft takes no applications: no job');
  },
);

test.serial('a contact that will not open is skipped; everyone after it is still told', async (t) => {
  const admin = await app.staff('admin');
  const c = await openVoucherCampaign(app);
  for (let i = 0; i < 3; i++) await appliedResident(app, c.id);
  // sealed under a DATA_KEY since replaced
  const [first] = await app.db('applications').where({ campaign_id: c.id }).orderBy('public_id').limit(1);
  await app
    .db('applications')
    .where({ id: first.id })
    .update({
      contact_enc: encryptText({ ...TEST_SECRETS, dataKey: Buffer.alloc(32, 7) }, '+821099990000', 'contact'),
    });
  t.is(
    (await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, { as: admin, json: {} })).status,
    200,
  );
  const told = await tellOfCancel(drawContext(app.db, app.clock), c.id, { batchSize: 2 });
  t.deepEqual(told, { batches: 2, notices: 2 });
  t.false((await cancelNotices(c.id)).some((m) => m.dedupe_key === `application_cancelled:${first.id}`));
});

test.serial(
  "the operator's message to residents goes, in each reader's language, into the notices, their pages, the API and STATUS; a bad one changes nothing",
  async (t) => {
    const admin = await app.staff('admin');
    const c = await openVoucherCampaign(app);
    const person = await appliedResident(app, c.id);
    const texterKo = '+821055519002';
    const texterEn = '+821055519003';
    t.regex(await sms(texterKo, `신청 ${c.code} 50000 19820315`), /신청 완료/);
    t.regex(await sms(texterEn, `APPLY ${c.code} 50000 19790704`), /application received/);
    const cancel = (json: Record<string, unknown>) =>
      app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, { as: admin, json });

    for (const field of ['message_ko', 'message_en'])
      for (const bad of ['가'.repeat(201), 'look \u202Ehere', 'red \u001b[31malert', ['two', 'messages']]) {
        const refused = await cancel({ message_ko: 'fine', message_en: 'fine', [field]: bad });
        t.is(refused.status, 422, refused.text);
        t.is(refused.json.error.code, 'validation_failed');
        t.deepEqual(Object.keys(refused.json.error.fields), [field], refused.text);
      }
    const still = await app.db('campaigns').where({ id: c.id }).first();
    t.is(still.state, 'open', 'refused: still open');
    t.like(still, { cancel_message_ko: null, cancel_message_en: null });
    t.is((await jobsOf(c.id)).length, 0, 'nobody to be told');

    const ko = '예산이 바뀌어 취소합니다. 다음 달 2차 판매를 문자로 알려 드립니다.';
    const en = 'Cancelled after a budget change. A second sale next month will be announced by SMS.';
    const res = await cancel({ reason: 'council vote 12-05', message_ko: `  ${ko}  `, message_en: en });
    t.is(res.status, 200, res.text);
    t.deepEqual(res.json.campaign.cancel_message, { ko, en }, 'trimmed');
    const [audit] = await app
      .db('audit_log')
      .where({ subject: `campaign:${c.id}`, action: 'campaign.cancelled' });
    t.like(audit.data, { reason: 'council vote 12-05', message_ko: ko, message_en: en });

    await runDrawJobs(drawContext(app.db, app.clock));
    const told = await cancelNotices(c.id);
    const bodies = told.map((m) => ({ lang: m.lang, body: openedTexts(m, TEST_SECRETS.dataKey).body }));
    t.true(
      bodies.some((b) => b.lang === 'ko' && b.body.endsWith(`\n운영 기관 안내: ${ko}`)),
      JSON.stringify(bodies),
    );
    t.true(bodies.some((b) => b.lang === 'en' && b.body.endsWith(`\nFrom the organisers: ${en}`)));

    for (const [lang, message, other] of [
      ['ko', ko, en],
      ['en', en, ko],
    ] as const) {
      const page = await app.request('GET', `/campaigns/${c.id}/application?lang=${lang}`, {
        headers: { ...person.headers, accept: 'text/html' },
      });
      t.regex(page.text, /id="cancel-message"/);
      t.true(page.text.includes(message), page.text);
      t.false(page.text.includes(other), "only the reader's language");
      t.true(page.text.includes(lang === 'ko' ? '운영 기관 안내:' : 'From the organisers:'));
    }
    const signIn = await app.request('GET', `/campaigns/${c.id}/apply`, { headers: { accept: 'text/html' } });
    t.true(signIn.text.includes(ko), 'the sign-in page a notice links to says it too');
    const api = await app.request('GET', `/api/campaigns/${c.id}/application`, { headers: person.headers });
    t.like(api.json, { cancelled: true, cancel_message: { ko, en } });
    // SMS STATUS, where one who missed the cancel's text asks: the application cancelled, and why, in their words
    const status = await sms(texterKo, `상태 ${c.code}`);
    t.true(status.endsWith(`(사업 취소)\n운영 기관 안내: ${ko}`), status);
    const statusEn = await sms(texterEn, `STATUS ${c.code}`);
    t.true(statusEn.endsWith(`(campaign cancelled)\nFrom the organisers: ${en}`), statusEn);
  },
);

test.serial('a message given in one language only is what readers of the other are given', async (t) => {
  const admin = await app.staff('admin');
  const c = await openVoucherCampaign(app);
  const person = await appliedResident(app, c.id);
  const ko = '수량 배정 오류로 취소합니다.';
  const res = await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, {
    as: admin,
    json: { message_ko: ko },
  });
  t.deepEqual(res.json.campaign.cancel_message, { ko, en: null }, res.text);
  const page = await app.request('GET', `/campaigns/${c.id}/application?lang=en`, {
    headers: { ...person.headers, accept: 'text/html' },
  });
  t.true(page.text.includes(`From the organisers:</strong> ${ko}`), page.text);
});

test.serial(
  "the cancel's own length check (for callers past the schema) gives a keyed fault: Korean on a page, English in the API",
  async (t) => {
    const c = await openVoucherCampaign(app);
    const err = await t.throwsAsync(
      changeCampaignState(
        { db: app.db, clock: app.clock },
        { kind: 'system', name: 'test' },
        c.id,
        'cancel',
        {
          message_ko: '가'.repeat(CANCEL_MESSAGE_MAX + 1),
          message_en: 'fine',
        },
      ),
      { instanceOf: DomainError },
    );
    t.deepEqual(err.problems, [
      { field: 'message_ko', key: 'max_chars', params: { max: CANCEL_MESSAGE_MAX } },
    ]);
    t.deepEqual(fieldMessages(err, translator('ko'), 'ko'), { message_ko: '200자 이내로 적어 주세요.' });
    t.deepEqual(answerFor(err).shown.fields, { message_ko: 'At most 200 characters' });
    const still = await app.db('campaigns').where({ id: c.id }).first();
    t.like(still, { state: 'open', cancel_message_ko: null, cancel_message_en: null });
  },
);
