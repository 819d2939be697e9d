// Whom to ask about a campaign (문의처), where a resident looks for help: the campaign's page, the result page (a
// voucher winner, a part of what was asked, a refusal at the counter, not selected), a cancelled campaign's receipt
// and sign-in pages (and its cancel SMS), and an instant sale's queue and the SMS or email telling of one's turn
// there; in the page's language, else in the other one given, with a tel: link. A campaign without a contact shows
// none of it.
import test from 'ava';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import { TURN_NOTICE_AFTER_MS } from '../../src/domain/instant/waitingRoom.js';
import { signResidentToken } from '../../src/identity/residentSession.js';
import { openedTexts } from '../../src/notify/recipient.js';
import { awardsOf, drawnLottery } from '../draw/_scenario.js';
import { type StaffAuth, startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { drawContext, runDrawJobs } from '../helpers/draw.js';
import { createdVoucherCampaign, OFFICE_CONTACT } from '../helpers/factories.js';
import { buyers, openSale, salesContext, scheduledSale, strictPass } from '../helpers/instant.js';
import { appliedResident, openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';
import { standInChannels, startTestWorker, waitFor } from '../helpers/notify.js';
import { startSmtpStandIn } from '../helpers/smtpStandIn.js';
import { startTwilioStandIn } from '../helpers/twilioStandIn.js';

let app: TestApp;
let admin: StaffAuth;
const html = { accept: 'text/html' };

test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS, rulesTtlMs: 0 } });
  admin = await app.staff('admin');
});
test.after.always(async () => {
  await app?.close();
});

/** The contact section of a page, tags dropped, spaces collapsed ('' when there is none). */
function contactText(page: string): string {
  const start = page.indexOf('<section class="contact" id="campaign-contact"');
  if (start < 0) return '';
  const part = page.slice(start, page.indexOf('</section>', start));
  return part
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
const KO =
  '문의처 이 사업에 대해 궁금한 점이 있으면 아래로 문의하세요. 담당 기관 중구청 일자리경제과 전화 02-3396-4000 이메일 voucher@junggu.go.kr 문의 가능 시간 평일 09:00~18:00';
const EN =
  'Questions? If you have a question about this campaign, ask the office that runs it. Office Jung-gu Office, Jobs and Economy Phone 02-3396-4000 Email voucher@junggu.go.kr Hours Weekdays 09:00-18:00';

async function scheduled(overrides: Record<string, unknown>): Promise<string> {
  const { id } = await createdVoucherCampaign(app, admin, overrides);
  await app.request('POST', `/api/admin/campaigns/${id}/schedule`, { as: admin, json: {} });
  return id;
}

test.serial(
  "the campaign's page names whom to ask, with a tel: and a mailto: link, in Korean and English",
  async (t) => {
    const id = await scheduled(OFFICE_CONTACT);
    const ko = await app.request('GET', `/campaigns/${id}`, { headers: html });
    t.is(contactText(ko.text), KO);
    t.true(
      ko.text.includes('<a class="tel" id="contact-phone" href="tel:0233964000">02-3396-4000</a>'),
      ko.text,
    );
    t.true(ko.text.includes('href="mailto:voucher@junggu.go.kr"'));
    const en = await app.request('GET', `/campaigns/${id}?lang=en`, { headers: html });
    t.is(contactText(en.text), EN);

    const without = await scheduled({});
    t.is(contactText((await app.request('GET', `/campaigns/${without}`, { headers: html })).text), '');
  },
);

test.serial(
  'a part given in one language is shown to readers of the other, marked as that language',
  async (t) => {
    const id = await scheduled({
      contact_name_ko: '중구청 일자리경제과',
      contact_phone: '+82 2 120',
      contact_hours_en: 'Weekdays 09:00-18:00',
    });
    const en = await app.request('GET', `/campaigns/${id}?lang=en`, { headers: html });
    t.true(en.text.includes('<dd id="contact-name" lang="ko">중구청 일자리경제과</dd>'), en.text);
    t.true(en.text.includes('href="tel:+822120">+82 2 120</a>'));
    t.true(en.text.includes('<dd id="contact-hours">Weekdays 09:00-18:00</dd>'));
    t.false(en.text.includes('id="contact-email"'), 'no email given, none shown');
    const ko = await app.request('GET', `/campaigns/${id}`, { headers: html });
    t.true(ko.text.includes('<dd id="contact-name">중구청 일자리경제과</dd>'));
    t.true(ko.text.includes('<dd id="contact-hours" lang="en">Weekdays 09:00-18:00</dd>'));
  },
);

/** A resident's own page (their session as a verified code starts it), in a language. */
async function ownPage(campaignId: string, publicId: string, lang: 'ko' | 'en' = 'ko') {
  const a = await app.db('applications').where({ campaign_id: campaignId, public_id: publicId }).first();
  const token = await signResidentToken(
    TEST_SECRETS.sessionSecret,
    { sub: a.identity_id, m: 'sms', bd: '1982-03-15', bs: 'declared', cc: null, ce: null, lang: 'ko' },
    app.clock.now(),
  );
  const q = lang === 'en' ? '?lang=en' : '';
  const res = await app.request('GET', `/campaigns/${campaignId}/application${q}`, {
    headers: { 'x-resident-token': token, ...html },
  });
  if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
  return res.text;
}

test.serial('a voucher winner and one not selected are told whom to ask, in both languages', async (t) => {
  const drawn = await drawnLottery(app, {
    kind: 'voucher',
    applicants: 20,
    total: 2_000_000,
    campaign: OFFICE_CONTACT,
  });
  const c = drawn.s.campaignId;
  await fanOutResults(drawn.env, c);
  const awards = await awardsOf(app.db, c);
  const won = awards.find((a) => a.outcome === 'won')!;
  t.regex(await ownPage(c, won.public_id), /가맹점에서 번호를 보여 주세요/);
  t.is(contactText(await ownPage(c, won.public_id)), KO);
  t.is(contactText(await ownPage(c, won.public_id, 'en')), EN);
  // the waitlist is not passed down: not selected
  await app.db('campaigns').where({ id: c }).update({ unclaimed_policy: 'return' });
  const lost = awards.find((a) => a.outcome === 'waitlisted')!;
  const page = await ownPage(c, lost.public_id);
  t.regex(page, /이번에는 당첨되지 않았습니다/);
  t.is(contactText(page), KO);
  t.true(page.indexOf('id="campaign-contact"') < page.indexOf('id="audit-link"'), 'before the audit link');
});

test.serial('a part of what was asked, and a refusal at the counter, point to the contact', async (t) => {
  const drawn = await drawnLottery(app, { applicants: 40, campaign: OFFICE_CONTACT });
  const c = drawn.s.campaignId;
  await fanOutResults(drawn.env, c);
  const [whole, part] = (await awardsOf(app.db, c)).filter((a) => a.outcome === 'won');
  await app
    .db('applications')
    .where({ campaign_id: c, public_id: part!.public_id })
    .update({ request: Number(part!.amount) + 2 });
  const ko = await ownPage(c, part!.public_id);
  t.regex(ko, /id="partial">신청하신 \d+개 가운데 일부입니다[^<]*궁금한 점은 아래 문의처로 물어보세요\./);
  t.is(contactText(ko), KO);
  t.regex(
    await ownPage(c, part!.public_id, 'en'),
    /id="partial">Part of [^<]*Questions\? Ask the office named below\./,
  );

  await app
    .db('awards')
    .where({ campaign_id: c, public_id: whole!.public_id })
    .update({ status: 'refused', refused_at: app.clock.now(), refusal_reason: 'no_id' });
  const refused = await ownPage(c, whole!.public_id);
  t.regex(refused, /아래 수령처나 사업 담당 부서에 문의/);
  t.true(
    refused.indexOf('id="refused-site"') < refused.indexOf('id="campaign-contact"'),
    'the office below it',
  );
  t.is(contactText(refused), KO);
  t.is(contactText(await ownPage(c, whole!.public_id, 'en')), EN);
  // without a contact, the page is as before
  await app
    .db('campaigns')
    .where({ id: c })
    .update({ contact_phone: null, contact_email: null, contact_name_ko: null, contact_name_en: null });
  const plain = await ownPage(c, part!.public_id);
  t.is(contactText(plain), '');
  t.notRegex(plain, /아래 문의처로/);
});

test.serial("a cancelled campaign's receipt and sign-in pages name whom to ask", async (t) => {
  const c = await openVoucherCampaign(app, OFFICE_CONTACT);
  const person = await appliedResident(app, c.id);
  const res = await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, {
    as: admin,
    json: { message_ko: '예산이 바뀌어 취소합니다.' },
  });
  t.is(res.status, 200, res.text);
  for (const [lang, words] of [
    ['ko', KO],
    ['en', EN],
  ] as const) {
    const q = lang === 'en' ? '?lang=en' : '';
    const receipt = await app.request('GET', `/campaigns/${c.id}/application${q}`, {
      headers: { ...person.headers, ...html },
    });
    t.true(receipt.text.includes('id="campaign-cancelled"'));
    t.is(contactText(receipt.text), words);
    t.true(receipt.text.indexOf('id="cancel-message"') < receipt.text.indexOf('id="campaign-contact"'));
    const signIn = await app.request('GET', `/campaigns/${c.id}/apply${q}`, { headers: html });
    t.true(signIn.text.includes('id="campaign-cancelled"'));
    t.is(contactText(signIn.text), words);
  }
  // the cancel's SMS, run by its job, ends with the number to call
  await runDrawJobs(drawContext(app.db, app.clock));
  const told = await app.db('messages').where({ campaign_id: c.id, kind: 'application_cancelled' });
  t.is(told.length, 1);
  t.true(
    openedTexts(told[0], TEST_SECRETS.dataKey).body.endsWith(
      '\n운영 기관 안내: 예산이 바뀌어 취소합니다.\n문의: 02-3396-4000',
    ),
  );
});

test.serial("an instant sale's queue page names whom to ask", async (t) => {
  const sale = await scheduledSale(app, { units: 5 });
  await app.db('campaigns').where({ id: sale.id }).update(OFFICE_CONTACT);
  const ko = await app.request('GET', `/campaigns/${sale.id}/queue`, { headers: html });
  t.is(ko.status, 200);
  t.is(contactText(ko.text), KO);
  const en = await app.request('GET', `/campaigns/${sale.id}/queue?lang=en`, { headers: html });
  t.is(contactText(en.text), EN);
});

test.serial(
  "an instant sale's turn notice names whom to ask: the phone in its SMS, the whole line at its email's foot",
  async (t) => {
    const twilio = await startTwilioStandIn();
    const smtp = await startSmtpStandIn();
    const worker = await startTestWorker(
      app.database,
      standInChannels({ twilioUrl: twilio.url, smtpUrl: smtp.url }),
    );
    t.teardown(async () => {
      await worker.stop();
      await twilio.close();
      await smtp.close();
    });
    const ctx = salesContext(app);
    // Two sales alike but for the contact, each with a person told by SMS and one by email in each language.
    const office = await scheduledSale(app, { units: 10 });
    await app.db('campaigns').where({ id: office.id }).update(OFFICE_CONTACT);
    const plain = await scheduledSale(app, { units: 10 });
    for (const sale of [office, plain]) {
      await openSale(app, sale.id);
      const people = [
        ...(await buyers(app, 1, { sms: true })),
        ...(await buyers(app, 1, { sms: true, lang: 'en' })),
        ...(await buyers(app, 1, { email: true })),
        ...(await buyers(app, 1, { email: true, lang: 'en' })),
      ];
      for (const p of people)
        await app.request('POST', `/api/campaigns/${sale.id}/queue`, { headers: p.headers });
    }
    await strictPass(ctx); // admitted
    app.clock.advance(TURN_NOTICE_AFTER_MS);
    await strictPass(ctx); // told: nobody bought
    const queueOf = (id: string, lang: 'ko' | 'en') =>
      `${app.url}/campaigns/${id}/queue${lang === 'en' ? '?lang=en' : ''}`;
    // What the phone and the mailbox received, found by the link to one's place.
    const sent = await waitFor('the turn notices to arrive', async () => {
      const texts = twilio.accepted.filter((m) => m.body.includes('/queue'));
      const mails = smtp.received.filter((m) => m.text?.includes('/queue'));
      return texts.length === 4 && mails.length === 4 ? { texts, mails } : undefined;
    });
    // a line of the SMS ends with the link, a line of the email is the link
    const textTo = (id: string, lang: 'ko' | 'en') =>
      sent.texts.find((m) => m.body.split('\n').some((line) => line.endsWith(queueOf(id, lang))))!.body;
    const mailTo = (id: string, lang: 'ko' | 'en') =>
      sent.mails.find((m) => m.text!.split('\n').includes(queueOf(id, lang)))!;

    t.is(
      textTo(office.id, 'ko'),
      `[공정 배정] 테스트 상품권 구매 차례, 2분 안에: ${queueOf(office.id, 'ko')}\n문의: 02-3396-4000`,
    );
    t.is(
      textTo(office.id, 'en'),
      `[Fair Allocation] Your turn to buy: Test vouchers. Open within 2 min: ${queueOf(office.id, 'en')}\nQuestions: 02-3396-4000`,
    );
    // without a contact: the link ends it, nothing dangling after it
    t.true(textTo(plain.id, 'ko').endsWith(`안에: ${queueOf(plain.id, 'ko')}`), textTo(plain.id, 'ko'));
    t.true(textTo(plain.id, 'en').endsWith(`min: ${queueOf(plain.id, 'en')}`), textTo(plain.id, 'en'));
    // The phone costs no extra part: the Korean SMS is as many parts with it as without (each part is paid).
    const parts = async (id: string) =>
      (
        await app
          .db('messages')
          .where({ campaign_id: id, kind: 'queue_turn', channel: 'sms', lang: 'ko' })
          .first()
      ).segments;
    t.is(await parts(office.id), 2);
    t.is(await parts(plain.id), 2);

    const LINE = {
      ko: '중구청 일자리경제과 · 02-3396-4000 · voucher@junggu.go.kr · 평일 09:00~18:00',
      en: 'Jung-gu Office, Jobs and Economy · 02-3396-4000 · voucher@junggu.go.kr · Weekdays 09:00-18:00',
    };
    for (const [lang, label] of [
      ['ko', '문의:'],
      ['en', 'Questions:'],
    ] as const) {
      const mail = mailTo(office.id, lang);
      t.true(
        mail.text!.trimEnd().endsWith(`${queueOf(office.id, lang)}\n\n${label} ${LINE[lang]}`),
        mail.text,
      );
      t.true(String(mail.html).includes(`>${label} ${LINE[lang]}</p>`), String(mail.html));
      const without = mailTo(plain.id, lang);
      t.true(without.text!.trimEnd().endsWith(queueOf(plain.id, lang)), without.text);
      t.false(without.text!.includes(label));
      t.false(String(without.html).includes(`${label} `));
    }
  },
);
