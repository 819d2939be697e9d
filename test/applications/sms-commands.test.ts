// SMS commands beyond the happy path, each answered in plain words and changing only what it says: pickup
// sites typed in any case, an unknown site or campaign, a bad birth date or format, a sender that cannot be
// answered, STATUS with and without applications (and whom to ask, where the campaign has a phone), CANCEL with
// none, one or several to choose from.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import twilio from 'twilio';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { OFFICE_CONTACT } from '../helpers/factories.js';
import { textService } from '../helpers/inboundSms.js';
import { openGoodsCampaign, openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';

const TOKEN = 'sms-commands-twilio-auth-token-01';
let app: TestApp;
test.before(async () => {
  app = await startTestApp({ config: { TWILIO_AUTH_TOKEN: TOKEN }, intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await app?.close();
});

const send = (from: string, body: string) => textService(app, TOKEN, from, body);
const applicationsOf = (campaignId: string) => app.db('applications').where({ campaign_id: campaignId });

test.serial(
  'goods by SMS: site ids in any case; an unknown site is refused and nothing is created',
  async (t) => {
    const c = await openGoodsCampaign(app);
    const from = '+821055510001';
    t.regex(await send(from, `신청 ${c.code} 2 19820315 ph-zz`), /수령처 코드가 올바르지 않습니다/);
    t.is((await applicationsOf(c.id)).length, 0);
    const ok = await send(from, `신청 ${c.code} 2 19820315 ph-b Ph-A`);
    t.regex(ok, /신청 완료/);
    const [row] = await applicationsOf(c.id);
    t.deepEqual(row.preferences, ['PH-B', 'PH-A']);
    t.is(Number(row.request), 2);
  },
);

test.serial('unknown campaign, bad birth date, bad format: plain answers, nothing created', async (t) => {
  const c = await openVoucherCampaign(app);
  const from = '+821055510002';
  t.regex(await send(from, 'APPLY NOSUCH1 10000 19820315'), /no such|not found|There is no/i);
  t.regex(await send(from, `신청 ${c.code} 10000 19821345`), /생년월일을 8자리로/);
  t.regex(await send(from, `APPLY ${c.code} 10000 1982`), /Format: APPLY code amount birthdate/);
  t.regex(await send(from, '신청'), /형식: 신청 사업코드/);
  t.regex(await send(from, 'what?'), /Unknown command\. Send HELP/);
  t.regex(await send(from, 'HELP'), /Apply: APPLY code amount birthdate/);
  t.is((await applicationsOf(c.id)).length, 0);
});

test.serial('a sender that cannot be answered is recorded and gets no reply', async (t) => {
  const c = await openVoucherCampaign(app);
  const form = {
    MessageSid: `SM${randomBytes(16).toString('hex')}`,
    From: '1588',
    Body: `신청 ${c.code} 10000 19820315`,
  };
  const url = 'http://127.0.0.1/webhooks/twilio/inbound';
  const res = await app.request('POST', '/webhooks/twilio/inbound', {
    form,
    headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, url, form) },
  });
  t.is(res.status, 200);
  const inbound = await app.db('sms_inbound').where({ message_sid: form.MessageSid }).first();
  t.is(inbound.outcome, 'unreplyable_sender');
  t.is((await app.db('messages').whereLike('dedupe_key', `sms_reply:${form.MessageSid}%`)).length, 0);
  t.is((await applicationsOf(c.id)).length, 0);
});

test.serial('STATUS and CANCEL: none, one campaign by code, several to choose from', async (t) => {
  const a = await openVoucherCampaign(app);
  const b = await openVoucherCampaign(app);
  const from = '+821055510003';
  t.regex(await send(from, 'STATUS'), /You have no applications\.$/);
  t.regex(await send(from, '취소'), /취소할 신청이 없습니다\.$/);
  t.regex(await send(from, `APPLY ${a.code} 30000 19820315`), /application received/);
  t.regex(await send(from, `신청 ${b.code} 20000 19820315`), /신청 완료/);
  const both = await send(from, 'STATUS');
  t.true(both.includes(a.code) && both.includes(b.code), both);
  t.regex(await send(from, `상태 ${a.code}`), new RegExp(`${a.code} 접수번호 A\\w+ 30,000원 \\(접수\\)$`));
  t.regex(await send(from, 'CANCEL'), /several applications/);
  t.is((await applicationsOf(a.id).where({ status: 'active' })).length, 1, 'nothing withdrawn yet');
  // The old form with a birth date still withdraws: the phone alone names the person now.
  t.regex(await send(from, `CANCEL ${b.code} 19820315`), /Application withdrawn\. .*\(withdrawn\)$/);
  t.is((await applicationsOf(b.id).first()).status, 'withdrawn');
  t.is((await applicationsOf(a.id).first()).status, 'active');
  t.regex(await send(from, '취소'), /신청을 취소했습니다/, 'one left: no need to name it');
  t.is((await applicationsOf(a.id).first()).status, 'withdrawn');
  t.regex(await send(from, `STATUS ${b.code}`), /\(withdrawn\)/);
});

test.serial(
  "STATUS names whom to ask where the campaign has a phone, in the words of its notices' SMS; the rest read as before",
  async (t) => {
    const office = await openVoucherCampaign(app, OFFICE_CONTACT);
    const mailOnly = await openVoucherCampaign(app, {
      contact_name_ko: '중구청 일자리경제과',
      contact_email: 'voucher@junggu.go.kr',
    });
    const plain = await openVoucherCampaign(app);
    const from = '+821055510004';
    for (const c of [office, mailOnly, plain])
      t.regex(await send(from, `신청 ${c.code} 30000 19820315`), /신청 완료/);
    const receipt = (code: string, status: string) => `${code} 접수번호 A\\w+ 30,000원 \\(${status}\\)`;

    const ko = await send(from, `상태 ${office.code}`);
    t.regex(ko, new RegExp(`^\\[공정 배정\\] ${receipt(office.code, '접수')}\\n문의: 02-3396-4000$`));
    // still one part, as the reply was without it
    t.is((await app.db('messages').where({ kind: 'sms_reply', body: ko }).first()).segments, 1);
    t.regex(await send(from, `STATUS ${office.code}`), /\(received\)\nQuestions: 02-3396-4000$/);
    // an email and no phone, or no contact at all: nothing of it, no "문의:" with nothing after it
    for (const c of [mailOnly, plain]) {
      const reply = await send(from, `상태 ${c.code}`);
      t.regex(reply, new RegExp(`${receipt(c.code, '접수')}$`));
      t.false(reply.includes('문의'), reply);
    }
    // all three at once: the phone follows its own campaign's line, and only that one
    const all = (await send(from, '상태')).split('\n');
    t.is(all.length, 4, all.join('\n'));
    t.is(all[all.findIndex((line) => line.includes(office.code)) + 1], '문의: 02-3396-4000');
    t.is(all.filter((line) => line.includes('문의')).length, 1);

    // cancelled, with the operator's note: the note, then whom to ask
    const cancelled = await app.request('POST', `/api/admin/campaigns/${office.id}/cancel`, {
      as: await app.staff('admin'),
      json: { message_ko: '예산이 바뀌어 취소합니다.' },
    });
    t.is(cancelled.status, 200, cancelled.text);
    const after = await send(from, `상태 ${office.code}`);
    t.true(
      after.endsWith('(사업 취소)\n운영 기관 안내: 예산이 바뀌어 취소합니다.\n문의: 02-3396-4000'),
      after,
    );
  },
);
