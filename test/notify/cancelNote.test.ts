// A cancel's notices carry the operator's word to residents when one was given, on every channel and in both
// languages, as written (escaped in HTML); without one they read as before, with no empty label or blank lines.
import test from 'ava';
import { cancelNoteOf } from '../../src/domain/campaign.js';
import type { NoticeKind } from '../../src/notify/notice.js';
import { renderNotice } from '../../src/notify/render.js';

const KINDS: NoticeKind[] = ['application_cancelled', 'queue_cancelled', 'sale_cancelled'];
const LABEL = { ko: '운영 기관 안내:', en: 'From the organisers:' } as const;
const base = {
  campaign: '동네 상품권',
  public_id: 'A-7K2M9Q',
  url: 'https://city.example/campaigns/1/queue',
  result_url: 'https://city.example/campaigns/1/application',
};
const NOTE = '예산이 바뀌어 취소합니다. 다음 달 <2차> 판매를 문자로 알려 드립니다.';

for (const kind of KINDS)
  for (const lang of ['ko', 'en'] as const) {
    test(`${kind} (${lang}) says the operator's note on every channel, and nothing of it without one`, (t) => {
      const sms = renderNotice({ kind, channel: 'sms', lang, params: { ...base, note: NOTE } });
      t.true(sms.body.endsWith(`\n${LABEL[lang]} ${NOTE}`), sms.body);
      const email = renderNotice({ kind, channel: 'email', lang, params: { ...base, note: NOTE } });
      t.true(email.body.includes(`\n\n${LABEL[lang]} ${NOTE}\n\nhttps://`), email.body);
      t.true(
        email.html!.includes(`${LABEL[lang]}</strong> ${NOTE.replace('<', '&lt;').replace('>', '&gt;')}`),
      );
      t.false(email.html!.includes('<2차>'), 'escaped in HTML');

      for (const channel of ['sms', 'email'] as const) {
        const plain = renderNotice({ kind, channel, lang, params: base });
        t.false(plain.body.includes(LABEL[lang]), plain.body);
        t.false(plain.body.includes('\n\n\n'), 'no blank line left where the note would be');
        t.false(plain.html?.includes(LABEL[lang]) ?? false);
      }
      t.false(
        renderNotice({ kind, channel: 'sms', lang, params: base }).body.includes('\n'),
        'one line as before',
      );
    });
  }

test("a notice's note is the operator's message in the notice's language, else the one given", (t) => {
  const both = { cancel_message_ko: '예산 변경', cancel_message_en: 'Budget change' };
  t.deepEqual(cancelNoteOf(both, 'ko'), { note: '예산 변경' });
  t.deepEqual(cancelNoteOf(both, 'en'), { note: 'Budget change' });
  t.deepEqual(cancelNoteOf({ cancel_message_ko: '예산 변경', cancel_message_en: null }, 'en'), {
    note: '예산 변경',
  });
  t.deepEqual(cancelNoteOf({ cancel_message_ko: null, cancel_message_en: 'Budget change' }, 'ko'), {
    note: 'Budget change',
  });
  t.deepEqual(cancelNoteOf({ cancel_message_ko: null, cancel_message_en: null }, 'ko'), {});
});
