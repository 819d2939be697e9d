// The admin's waiting-room page: an instant sale's rules read by admins and auditors, set by an admin in a form
// while the sale is prepared (the same command as the API's), bad values answered on their fields with nothing
// saved, and the form gone once the rules are fixed.
import test from 'ava';
import { signInWithForm } from '../helpers/browserSession.js';
import {
  buyWithToken,
  draftSale,
  instantWorld,
  queuedSale,
  scheduledSale,
  turnToBuy,
} from '../helpers/instant.js';

const FORM = {
  prequeue_minutes: '45',
  admit_per_second: '50',
  max_active: '300',
  token_seconds: '90',
  hold_seconds: '900',
  overbook_percent: '10',
};

test('an admin sets a draft sale’s rules in the form; an auditor reads them', async (t) => {
  const { app } = await instantWorld();
  t.teardown(() => app.close());
  const apiAdmin = await app.staff('admin');
  const made = await draftSale(app, apiAdmin);
  const id = made.json.campaign.id as string;
  const admin = await signInWithForm(app, 'admin');
  const auditor = await signInWithForm(app, 'auditor');
  const path = `/admin/campaigns/${id}/waiting-room`;

  const first = await admin.get(path);
  t.is(first.status, 200, first.text);
  t.regex(first.text, /name="admit_per_second" type="number" value="500"/, 'the defaults, before any is set');
  t.notRegex(first.text, /id="room-sale"/, 'a draft is not a sale yet');
  t.regex(
    (await admin.get(`/admin/campaigns/${id}`)).text,
    new RegExp(`href="${path}"`),
    'a tab of the sale',
  );

  const bad = await admin.post(path, { ...FORM, admit_per_second: '0', token_seconds: 'soon' });
  t.is(bad.status, 422);
  t.regex(bad.text, /입력한 내용 중 고칠 부분이 있습니다/);
  t.regex(
    bad.text,
    /<a href="#f-admit_per_second">초당 입장 인원<\/a>: 1부터 100,000까지의 정수를 입력해 주세요/,
  );
  t.regex(bad.text, /<a href="#f-token_seconds">/);
  t.regex(bad.text, /name="token_seconds" type="number" value="soon"/, 'what was typed is kept');
  const cleared = await admin.post(path, { ...FORM, overbook_percent: '' });
  t.is(cleared.status, 422, 'a cleared field is not a 0');
  t.regex(cleared.text, /<a href="#f-overbook_percent">초과 입장 \(%\)<\/a>: 0부터 1,000까지의 정수/);
  t.is(
    await app.db('audit_log').where({ action: 'instant.rules_changed' }).first(),
    undefined,
    'nothing saved',
  );

  const saved = await admin.post(path, FORM);
  t.is(saved.status, 303, saved.text);
  t.is(saved.headers.get('location'), `${path}?saved=1`);
  const api = await app.request('GET', `/api/admin/campaigns/${id}/instant-room`, { as: apiAdmin });
  t.deepEqual(api.json.rules, Object.fromEntries(Object.entries(FORM).map(([k, v]) => [k, Number(v)])));
  t.regex((await admin.get(`${path}?saved=1`)).text, /대기실 규칙을 저장했습니다/);

  const read = await auditor.get(`${path}?lang=en`);
  t.is(read.status, 200);
  t.notRegex(
    read.text,
    /<form method="post" action="\/admin\/campaigns\/[^"]+\/waiting-room"/,
    'no form to send',
  );
  t.regex(read.text, /<dt>Admitted per second<\/dt><dd>50<\/dd>/);
  t.is((await auditor.post(path, FORM)).status, 403);
});

test('once someone has a place the rules are fixed: no form, and a late form changes nothing', async (t) => {
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const { c } = await queuedSale(app, 1);
  const admin = await signInWithForm(app, 'admin');
  const path = `/admin/campaigns/${c.id}/waiting-room`;
  t.regex((await admin.get(path)).text, /<dt>순서를 섞은 시각<\/dt><dd>아직 섞지 않음/);
  await tick(); // the opening's pass: shuffled, the one in the queue given their turn
  const page = await admin.get(path);
  t.regex(page.text, /<dt>차례를 받은 순번 \(여기까지\)<\/dt><dd>1<\/dd>/);
  t.regex(page.text, /<dt>전체 \/ 남은 수량<\/dt><dd>50,000원 \/ 50,000원<\/dd>/);
  t.regex(page.text, new RegExp(`href="/api/campaigns/${c.id}/queue/audit"`));
  t.regex(page.text, /id="room-status">대기열이 이미 열렸거나/);
  t.notRegex(page.text, /name="admit_per_second"/);
  const before = await app.db('instant_rooms').where({ campaign_id: c.id }).first();
  const late = await admin.post(path, FORM);
  t.is(late.status, 409);
  t.regex(late.text, /role="alert"><h2>대기열이 이미 열렸거나 줄을 선 사람이 있어/);
  t.deepEqual(await app.db('instant_rooms').where({ campaign_id: c.id }).first(), before);
  t.is((await admin.get(`/admin/campaigns/${crypto.randomUUID()}/waiting-room`)).status, 404);
});

test('a sale cancelled before its pre-queue opened keeps its rules as they were', async (t) => {
  const { app } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 5 });
  await app.db.raw(`UPDATE campaigns SET opens_at = now() + interval '2 hours' WHERE id = ?`, [c.id]);
  const admin = await signInWithForm(app, 'admin');
  const path = `/admin/campaigns/${c.id}/waiting-room`;
  t.regex((await admin.get(path)).text, /id="room-status">아직 바꿀 수 있습니다/);
  await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, {
    as: await app.staff('admin'),
    json: {},
  });
  t.regex((await admin.get(path)).text, /id="room-status">대기열이 이미 열렸거나/);
  t.is((await admin.post(path, FORM)).status, 409);
});

test('a sale has no intake tab: its page leads to the waiting room, and the campaign list counts its purchases', async (t) => {
  const w = await instantWorld();
  const { app } = w;
  t.teardown(() => app.close());
  const sale = await turnToBuy(w, 5, 'list-key-1');
  const bought = await buyWithToken(
    app,
    sale.campaignId,
    { identity_id: sale.identityId, headers: sale.headers },
    sale.input.admission_token,
    'list-key-1',
  );
  t.is(bought.status, 201, bought.text);
  const admin = await signInWithForm(app, 'admin');
  const overview = await admin.get(`/admin/campaigns/${sale.campaignId}`);
  t.notRegex(overview.text, new RegExp(`href="/admin/campaigns/${sale.campaignId}/intake"`), 'no intake tab');
  const intake = await admin.get(`/admin/campaigns/${sale.campaignId}/intake`);
  t.is(intake.status, 302);
  t.is(intake.headers.get('location'), `/admin/campaigns/${sale.campaignId}/waiting-room`);

  const list = await admin.get('/admin');
  const row = list.text.split('<tr>').find((r) => r.includes(`/admin/campaigns/${sale.campaignId}"`));
  t.truthy(row, 'the sale is listed');
  t.regex(row!, /<td class="num">1<\/td>/, 'its one purchase, where a draw shows its applications');
  t.regex(list.text, /<th scope="col" class="num">신청·구매 수<\/th>/);
  const ko = await admin.get('/admin/campaigns/new');
  t.regex(ko.text, /즉시 구매에서는 같은 규칙으로 대기열에 들어와 구매할 수 있는 요일을 나눕니다/);
});
