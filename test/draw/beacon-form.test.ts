// The beacon is recorded once and seeds the draw for good, so the admin's form says what the source named at the
// opening expects (a drand round's randomness, lottery numbers, or the text as published), refuses a value of
// another kind with a keyed fault on the field (the API too), and records nothing until the value it would record
// is shown and confirmed. The source sentence is kept byte for byte; a Korean page explains it and gives its
// moment in the campaign's zone.
import test from 'ava';
import { DateTime } from 'luxon';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { type CookieSession, signInWithForm } from '../helpers/browserSession.js';
import { closedLottery as closed, type Scenario } from '../helpers/draw.js';

let app: TestApp;
let admin: CookieSession;

test.before(async () => {
  app = await startTestApp(); // BEACON_SOURCE as the draw helpers have it: drand quicknet, after {closes_at}
});
test.after.always(async () => {
  await app?.close();
});

/** A lottery past its close, its beacon due; `source`: the campaign's own beacon. Signs the admin in anew. */
async function closedLottery(source?: string): Promise<Scenario> {
  const s = await closed(app.db, app.clock, source ? { beaconSource: source } : {});
  admin = await signInWithForm(app, 'admin'); // a session of the stepped clock's day
  return s;
}

const recorded = async (s: Scenario) =>
  (await app.db('draws').where({ campaign_id: s.campaignId }).first()).beacon as string | null;
const auditEntries = async (s: Scenario) =>
  (await app.db('audit_log').where({ subject: `campaign:${s.campaignId}`, action: 'draw.beacon_recorded' }))
    .length;
const RANDOMNESS = 'a3f1c0de'.repeat(8);

test.serial(
  'the first submit records nothing: it shows the value to record, and only the confirm records it',
  async (t) => {
    const s = await closedLottery();
    const page = `/admin/campaigns/${s.campaignId}/draw`;
    const form = await admin.get(page);
    // the hint is the source's: a drand round's randomness; and the recording is said to come after a check
    t.regex(
      form.text,
      /id="beacon-hint">그 라운드의 난수\(randomness\)를 drand가 공개한 그대로 붙여 넣으세요: 16진수/,
    );
    t.regex(
      form.text,
      /id="beacon-once">한 번만 기록할 수 있습니다. 다음 화면에서 기록할 값을 확인한 뒤에 기록됩니다./,
    );

    const typed = `  ${RANDOMNESS.toUpperCase()} `;
    const first = await admin.post(`${page}/beacon`, { beacon: typed });
    t.is(first.status, 200);
    t.is(await recorded(s), null, 'nothing recorded by the first submit');
    t.is(await auditEntries(s), 0);
    t.regex(first.text, /<h2 id="beacon-confirm-title">기록하기 전에 확인해 주세요<\/h2>/);
    t.regex(first.text, /한 번 기록하면 바꿀 수 없고, 추첨 시드에 이 값이 그대로 들어갑니다/);
    // the value as it will be recorded (drand writes lower case), carried by the confirm button's form
    t.regex(first.text, new RegExp(`<code class="hash" id="beacon-to-record">${RANDOMNESS}</code>`));
    t.regex(first.text, /64자\. 입력하신 값을 drand가 공개하는 대로 소문자로 바꿨습니다\./);
    t.regex(first.text, new RegExp(`<input type="hidden" name="beacon" value="${RANDOMNESS}">`));
    t.regex(first.text, /<input type="hidden" name="confirm" value="yes">/);
    t.regex(first.text, />이 값으로 기록 \(바꿀 수 없음\)<\/button>/);
    // "change it" brings the typed value back into the form
    const edit = /href="([^"]+)#beacon-record">고치기<\/a>/.exec(first.text)?.[1] ?? '';
    const back = await admin.get(edit.replaceAll('&amp;', '&'));
    t.regex(back.text, new RegExp(`<input id="beacon" name="beacon" value="  ${RANDOMNESS.toUpperCase()} "`));
    t.is(await recorded(s), null);

    const confirmed = await admin.post(`${page}/beacon`, { beacon: RANDOMNESS, confirm: 'yes' });
    t.is(confirmed.status, 303);
    t.is(await recorded(s), RANDOMNESS);
    t.is(await auditEntries(s), 1);
    const again = await admin.post(`${page}/beacon`, { beacon: RANDOMNESS });
    t.is(again.status, 409, 'once recorded, the check says so too');
    t.regex(again.text, /비컨 값이 이미 기록되어/);
  },
);

test.serial(
  "a value not of the source's kind is refused on its field, in the page's language, and kept",
  async (t) => {
    const s = await closedLottery();
    const page = `/admin/campaigns/${s.campaignId}/draw`;
    for (const confirm of [undefined, 'yes']) {
      const typed = `drand round 9000001: ${RANDOMNESS}`;
      const res = await admin.post(`${page}/beacon`, { beacon: typed, ...(confirm ? { confirm } : {}) });
      t.is(res.status, 422);
      t.regex(
        res.text,
        /<p class="field-error" id="beacon-error">drand 라운드의 난수\(randomness\)를 16진수\(0-9, a-f\) 64자 그대로/,
      );
      t.regex(
        res.text,
        /id="beacon" name="beacon" value="drand round 9000001: [0-9a-f]{64}"[^>]*aria-invalid="true"/,
      );
    }
    const en = await admin.post(`${page}/beacon?lang=en`, { beacon: RANDOMNESS.slice(1) });
    t.is(en.status, 422);
    // the refusal at the top names the field and links to it
    t.regex(
      en.text,
      /<p class="error" role="alert">[^<]*<br><a href="#beacon">Beacon value<\/a>: The drand round/,
    );
    t.regex(en.text, /id="beacon-error">The drand round&#39;s randomness: its 64 hexadecimal characters/);
    t.is(await recorded(s), null);
    t.is(await auditEntries(s), 0);
  },
);

test.serial(
  'the API refuses it with the keyed fault on `beacon`, and records a right one in its one form',
  async (t) => {
    const s = await closedLottery();
    const api = await app.staff('admin');
    const url = `/api/admin/campaigns/${s.campaignId}/beacon`;
    const wrong = await app.request('POST', url, { as: api, json: { beacon: 'drand round 1: abc' } });
    t.is(wrong.status, 422);
    t.is(wrong.json.error.code, 'validation_failed');
    t.regex(wrong.json.error.fields.beacon, /^The drand round's randomness: its 64 hexadecimal characters/);
    t.is(await recorded(s), null);
    const right = await app.request('POST', url, { as: api, json: { beacon: RANDOMNESS.toUpperCase() } });
    t.is(right.status, 201, right.text);
    t.deepEqual(right.json, { beacon: RANDOMNESS });
    t.is(await recorded(s), RANDOMNESS);
  },
);

test.serial('lottery numbers are asked for as numbers and recorded one space apart', async (t) => {
  const s = await closedLottery('동행복권 로또 6/45 제1150회 당첨번호 (2026-12-05 추첨)');
  const page = `/admin/campaigns/${s.campaignId}/draw`;
  const form = await admin.get(page);
  t.regex(form.text, /id="beacon-hint">발표된 당첨 번호를 숫자만, 빈칸이나 쉼표로 나누어 적으세요/);
  // a Korean sentence on a Korean page needs no word on why it is left as it is; on an English page it does
  t.regex(
    form.text,
    /<span id="beacon-source">동행복권 로또 6\/45 제1150회 당첨번호 \(2026-12-05 추첨\)<\/span>/,
  );
  t.regex(form.text, /id="beacon-source-note">추첨으로 나온 당첨 번호입니다.<\/span>/);
  const en = await admin.get(`${page}?lang=en`);
  t.regex(en.text, /<span id="beacon-source" lang="ko">동행복권/);
  t.regex(en.text, /The winning numbers of a lottery draw.<br>The sentence is shown exactly as published/);

  const words = await admin.post(`${page}/beacon`, { beacon: '3, 12, 18, 스물다섯' });
  t.is(words.status, 422);
  t.regex(words.text, /id="beacon-error">당첨 번호만 숫자로, 빈칸이나 쉼표로 나누어 적어 주세요/);
  const check = await admin.post(`${page}/beacon`, { beacon: '03, 12,18  25 33 41' });
  t.is(check.status, 200);
  t.regex(check.text, /id="beacon-to-record">3 12 18 25 33 41<\/code>/);
  t.is(await recorded(s), null);
  t.is((await admin.post(`${page}/beacon`, { beacon: '3 12 18 25 33 41', confirm: 'yes' })).status, 303);
  t.is(await recorded(s), '3 12 18 25 33 41');
});

test.serial('a source of another kind takes its value as published', async (t) => {
  const s = await closedLottery('NIST randomness beacon, the first pulse after the close');
  const page = `/admin/campaigns/${s.campaignId}/draw`;
  t.regex(
    (await admin.get(page)).text,
    /id="beacon-hint">위에 적힌 출처가 공개한 값을 그대로 입력하세요.<\/span>/,
  );
  const check = await admin.post(`${page}/beacon`, { beacon: 'pulse 1234: 9F8E' });
  t.is(check.status, 200);
  t.regex(check.text, /id="beacon-to-record">pulse 1234: 9F8E<\/code>/);
  t.notRegex(check.text, /입력하신/, 'nothing changed in it, nothing said');
});

test.serial(
  'the source sentence is kept byte for byte; a Korean page explains it, its moment in Seoul time',
  async (t) => {
    const s = await closedLottery();
    const sentence = `drand quicknet: the first round after ${s.closesAt.toISOString()}`;
    const seoul = DateTime.fromJSDate(s.closesAt, { zone: 'Asia/Seoul' }).toFormat('yyyy-MM-dd HH:mm');
    for (const path of [`/admin/campaigns/${s.campaignId}/draw`, `/campaigns/${s.campaignId}/audit`]) {
      const ko = await admin.get(path);
      t.true(ko.text.includes(`<span id="beacon-source" lang="en">${sentence}</span>`), path);
      const note = /id="beacon-source-note">(.*?)<\/span>/.exec(ko.text)?.[1] ?? '';
      t.deepEqual(
        note.split('<br>'),
        [
          'drand(공개 난수 비컨)가 라운드마다 내는 난수(randomness)로, 16진수 64자입니다.',
          `문장 속 시각 ${s.closesAt.toISOString()}는 한국 표준시 기준 ${seoul} (GMT+9)입니다.`,
          '이 문장은 시드 약속값과 함께 공개된 원문이라 한 글자도 바꾸지 않고 그대로 보여 드립니다.',
        ],
        path,
      );
      const en = await admin.get(`${path}?lang=en`);
      t.true(en.text.includes(`<span id="beacon-source">${sentence}</span>`), path);
      t.regex(
        en.text,
        new RegExp(
          `${s.closesAt.toISOString()} in the sentence is ${seoul} \\(GMT\\+9\\) in Korean Standard Time\\.`,
        ),
      );
    }
  },
);
