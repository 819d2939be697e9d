// A site's district and address in English, beside the Korean: the admin form, the JSON API and the CSV import
// store them (an over-long one is a field error that changes nothing), a file from before the columns still
// imports, the admin list shows both, and ?district= finds a site by either language's district.
import test, { type ExecutionContext } from 'ava';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { type CookieSession, signInWithForm } from '../helpers/browserSession.js';

let app: TestApp;
let admin: CookieSession;
let apiAdmin: StaffAuth;

test.before(async () => {
  app = await startTestApp();
  apiAdmin = await app.staff('admin');
  admin = await signInWithForm(app, 'admin');
});
test.after.always(async () => {
  await app?.close();
});

const row = (id: string) => app.db('sites').where({ id }).first();

/** A form or import that went through (303 to the list) and the site's stored place. */
async function storedAs(
  t: ExecutionContext,
  reply: { status: number; text: string },
  id: string,
  place: Record<string, string>,
) {
  t.is(reply.status, 303, reply.text.slice(0, 500));
  t.like(await row(id), place);
}
const FORM = {
  name_ko: '세종약국',
  name_en: 'Sejong Pharmacy',
  district: '중구',
  district_en: 'Jung-gu',
  address: '서울 중구 세종대로 110',
  address_en: '110 Sejong-daero, Jung-gu, Seoul',
  phone: '',
  hours_ko: '',
  hours_en: '',
  lat: '',
  lng: '',
};

test.serial('the admin form stores the English district and address and shows them back', async (t) => {
  await storedAs(t, await admin.post('/admin/sites', { id: 'EN-1', ...FORM }), 'EN-1', {
    district: '중구',
    district_en: 'Jung-gu',
    address: '서울 중구 세종대로 110',
    address_en: '110 Sejong-daero, Jung-gu, Seoul',
  });
  for (const lang of ['ko', 'en'] as const) {
    const edit = await admin.get(`/admin/sites/EN-1/edit${lang === 'en' ? '?lang=en' : ''}`);
    t.is(edit.status, 200);
    t.regex(edit.text, /name="district_en" type="text" value="Jung-gu" lang="en"/);
    t.regex(edit.text, /name="address_en" type="text" value="110 Sejong-daero, Jung-gu, Seoul" lang="en"/);
    t.regex(
      edit.text,
      lang === 'ko' ? /for="f-address_en">주소 \(영어\)</ : /for="f-address_en">Address \(English\)</,
    );
  }
  // the list shows each beside its Korean
  const list = await admin.get('/admin/sites?lang=en');
  t.regex(list.text, /<span lang="ko">중구<\/span><br><span lang="en" class="meta">Jung-gu<\/span>/);
  t.regex(list.text, /<span lang="en" class="meta">110 Sejong-daero, Jung-gu, Seoul<\/span>/);
  // a change clears one: empty is "not given"
  const cleared = await admin.post('/admin/sites/EN-1/edit', { ...FORM, district_en: '' });
  t.is(cleared.status, 303);
  t.like(await row('EN-1'), { district_en: '', address_en: '110 Sejong-daero, Jung-gu, Seoul' });
  await admin.post('/admin/sites/EN-1/edit', FORM);
});

test.serial(
  'an over-long English district or address is a field error on the form and changes nothing',
  async (t) => {
    const before = await row('EN-1');
    const long = { ...FORM, district_en: 'D'.repeat(101), address_en: 'A'.repeat(301), name_ko: '바뀐약국' };
    const ko = await admin.post('/admin/sites/EN-1/edit', long);
    t.is(ko.status, 422);
    t.regex(ko.text, /id="f-district_en-error">100자 이내로 적어 주세요.</);
    t.regex(ko.text, /id="f-address_en-error">300자 이내로 적어 주세요.</);
    t.regex(
      ko.text,
      /<a href="#f-address_en">주소 \(영어\)<\/a>: 300자 이내로 적어 주세요./,
      'the summary names it',
    );
    t.regex(ko.text, /name="address_en" type="text" value="A{301}"/, 'what was typed is kept for fixing');
    const en = await admin.post('/admin/sites/EN-1/edit?lang=en', long);
    t.is(en.status, 422);
    t.regex(en.text, /id="f-address_en-error">At most 300 characters</);
    t.regex(en.text, /<a href="#f-district_en">District \(English\)<\/a>: At most 100 characters/);
    const added = await admin.post('/admin/sites', { ...long, id: 'EN-LONG' });
    t.is(added.status, 422);
    t.deepEqual(await row('EN-1'), before, 'nothing changed');
    t.is(await row('EN-LONG'), undefined, 'nothing added');
    // exactly at the bounds is fine
    const edge = { ...FORM, district_en: 'D'.repeat(100), address_en: 'A'.repeat(300) };
    t.is((await admin.post('/admin/sites/EN-1/edit', edge)).status, 303);
    await admin.post('/admin/sites/EN-1/edit', FORM);
  },
);

test.serial(
  'the JSON API stores and returns them, refuses an over-long one by its field, and filters by either district',
  async (t) => {
    const put = await app.request('PUT', '/api/admin/sites/EN-API', {
      as: apiAdmin,
      json: {
        name_ko: '동부약국',
        name_en: 'Dongbu Pharmacy',
        district: '동구',
        district_en: 'Dong-gu',
        address: '동부대로 1',
        address_en: '1 Dongbu-daero',
      },
    });
    t.is(put.status, 200, put.text);
    t.like(put.json.site, { district_en: 'Dong-gu', address_en: '1 Dongbu-daero' });
    t.like((await app.request('GET', '/api/sites/EN-API')).json.site, { district_en: 'Dong-gu' });
    for (const district of ['동구', 'Dong-gu']) {
      const ids = (
        await app.request('GET', `/api/sites?district=${encodeURIComponent(district)}`)
      ).json.sites.map((s: { id: string }) => s.id);
      t.deepEqual(ids, ['EN-API'], district);
    }

    const before = await row('EN-API');
    const long = await app.request('PUT', '/api/admin/sites/EN-API', {
      as: apiAdmin,
      json: { name_ko: '동부약국', name_en: 'Dongbu Pharmacy', address_en: 'A'.repeat(301) },
    });
    t.is(long.status, 422);
    t.is(long.json.error.code, 'validation_failed');
    t.regex(JSON.stringify(long.json.error.fields), /"address_en":"At most 300 characters"/);
    t.deepEqual(await row('EN-API'), before, 'nothing changed');
  },
);

test.serial(
  'a sites CSV with district_en and address_en stores them; an over-long one names its line and cell, nothing imported',
  async (t) => {
    const header = 'id,name_ko,name_en,district,district_en,address,address_en';
    const bad = [
      header,
      'CSV-EN-1,하나약국,Hana Pharmacy,중구,Jung-gu,서울 중구 세종대로 1,"1 Sejong-daero, Jung-gu, Seoul"',
      `CSV-EN-2,둘약국,Dul Pharmacy,동구,${'D'.repeat(101)},서울 동구 2,2 Dong-ro`,
      `CSV-EN-3,셋약국,Set Pharmacy,동구,Dong-gu,서울 동구 3,${'A'.repeat(301)}`,
    ].join('\n');
    const count = async () => Number((await app.db('sites').count('* as n').first())?.n);
    const n = await count();
    const page = await admin.post('/admin/sites/import', { csv: bad });
    t.is(page.status, 422);
    t.regex(page.text, /3번째 줄: district_en: 100자 이내로 적어 주세요./);
    t.regex(page.text, /4번째 줄: address_en: 300자 이내로 적어 주세요./);
    const api = await app.request('POST', '/api/admin/sites/import', { as: apiAdmin, json: { csv: bad } });
    t.is(api.status, 422);
    t.deepEqual(api.json.error.details.rows, [
      { line: 3, message: 'district_en: At most 100 characters' },
      { line: 4, message: 'address_en: At most 300 characters' },
    ]);
    t.is(await count(), n, 'nothing imported');

    const good = await admin.post('/admin/sites/import', { csv: bad.split('\n').slice(0, 2).join('\n') });
    await storedAs(t, good, 'CSV-EN-1', {
      district: '중구',
      district_en: 'Jung-gu',
      address: '서울 중구 세종대로 1',
      address_en: '1 Sejong-daero, Jung-gu, Seoul',
    });
    // the import page lists the columns and its example has them
    const form = await admin.get('/admin/sites/import');
    t.regex(form.text, /<code>district_en<\/code>, <code>address<\/code>, <code>address_en<\/code>/);
    t.regex(form.text, /PH-JUNG-01,중앙약국,Jungang Pharmacy,중구,Jung-gu,/);
  },
);

test.serial(
  'a CSV from before the English columns still imports: new sites have no English, existing ones keep theirs',
  async (t) => {
    const old = await admin.post('/admin/sites/import', {
      csv: [
        'id,name_ko,name_en,district,address,phone,hours_ko,hours_en,lat,lng',
        'CSV-OLD-1,옛약국,Old Pharmacy,서구,서울 서구 1,02-111-1111,평일 9-6,Weekdays 9-6,37.56,126.99',
      ].join('\n'),
    });
    await storedAs(t, old, 'CSV-OLD-1', {
      name_en: 'Old Pharmacy',
      district: '서구',
      district_en: '',
      address: '서울 서구 1',
      address_en: '',
    });
    // Over the API too: an existing site's row replaces the columns the file has and keeps the English it lacks.
    const api = await app.request('POST', '/api/admin/sites/import', {
      as: apiAdmin,
      json: {
        csv: 'id,name_ko,name_en,district,address\nCSV-EN-1,하나약국,Hana Pharmacy,중구,서울 중구 세종대로 11',
      },
    });
    t.is(api.status, 201, api.text);
    t.like(await row('CSV-EN-1'), {
      address: '서울 중구 세종대로 11',
      district_en: 'Jung-gu',
      address_en: '1 Sejong-daero, Jung-gu, Seoul',
    });
    // a column the file has, left empty, clears it (empty is "not given", as in the form)
    const cleared = await app.request('POST', '/api/admin/sites/import', {
      as: apiAdmin,
      json: { csv: 'id,name_ko,name_en,address_en\nCSV-EN-1,하나약국,Hana Pharmacy,' },
    });
    t.is(cleared.status, 201, cleared.text);
    t.like(await row('CSV-EN-1'), {
      address: '서울 중구 세종대로 11',
      district_en: 'Jung-gu',
      address_en: '',
    });
  },
);
