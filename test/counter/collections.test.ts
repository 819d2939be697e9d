// The counter's JSON API against the real app and database: exactly once under a double press, the site and
// the time checked, clear codes for unknown, expired and not-won codes, refusal with pass-down, and offline
// records synced later with their double-spend flag; today's list at the counter; tokens not as the service
// writes them. Over 300 lines: each case needs a drawn campaign with winners, so related checks ride along.
import test from 'ava';
import { SignJWT } from 'jose';
import { auditCollections } from '../../src/commands/auditCollections.js';
import { CLAIM_TOKEN_TYPE, claimSigner, signClaimToken } from '../../src/commands/claimTokens.js';
import { collectRecordAndCount } from '../../src/db/repos/counterCollections.js';
import { at } from '../draw/_scenario.js';
import { type StaffAuth, startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { signInWithForm } from '../helpers/browserSession.js';
import { formPostOf } from '../helpers/formPost.js';
import { counterScenario } from './_setup.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

const collect = (site: string, as: StaffAuth | undefined, json: Record<string, unknown>) =>
  app.request('POST', `/api/sites/${site}/collections`, { as, json });

test.serial('one press collects once; the site, the staff and the slot time are checked', async (t) => {
  const sc = await counterScenario(app);
  const [site0, site1] = sc.s.siteIds as [string, string];
  const w0 = sc.winnersAt(site0)[0]!;
  const w1 = sc.winnersAt(site1)[0]!;
  const code0 = await sc.codeOf(w0.public_id);
  const slot0 = await app.db('campaign_slots').where({ campaign_id: sc.s.campaignId, id: w0.slot }).first();

  app.clock.set(new Date(slot0.starts_at.getTime() - 11 * 60_000)); // the site's grace is 10 minutes
  const [staff0, staff1] = await sc.signIn();
  const early = await collect(site0, staff0, { code: code0 });
  t.is(early.status, 409, early.text);
  t.is(early.json.error.code, 'pickup_not_started');
  app.clock.set(new Date(slot0.starts_at.getTime() - 9 * 60_000));

  const check = await app.request('POST', `/api/sites/${site0}/collections/check`, {
    as: staff0,
    json: { code: code0.toLowerCase().replace('-', '') },
  });
  t.is(check.status, 200, check.text);
  t.is(check.json.award.public_id, w0.public_id);
  t.is(check.json.award.slot, w0.slot);
  t.like(check.json.award.campaign, { code: sc.campaign.code, time_zone: sc.campaign.time_zone });
  t.true(Array.isArray(check.json.award.checks));
  t.true(check.json.award.checks.some((k: { kind: string }) => k.kind === 'birth_year'));

  const other = await collect(site0, staff1, { code: code0 });
  t.is(other.status, 403, 'staff of another site');
  const wrong = await collect(site0, staff0, { code: await sc.codeOf(w1.public_id) });
  t.is(wrong.status, 422);
  t.is(wrong.json.error.code, 'wrong_site');
  t.is(wrong.json.error.details.site_id, site1);
  const nameOf = async (id: string) => (await app.db('sites').where({ id }).first()).name_ko;
  t.is(wrong.json.error.details.site_name, await nameOf(site1), 'the right site named in its own words');
  const site1Row = await app.db('sites').where({ id: site1 }).first();
  t.is(wrong.json.error.details.site_name_en, site1Row.name_en, 'and in English, for an English page');

  // Two staff press at the same moment: exactly one collection.
  const presses = await Promise.all([
    collect(site0, staff0, { code: code0 }),
    collect(site0, staff0, { code: await sc.tokenOf(w0.public_id) }),
    collect(site0, staff0, { code: code0 }),
  ]);
  t.deepEqual(presses.map((r) => r.status).sort(), [201, 409, 409]);
  const again = presses.find((r) => r.status === 409)!;
  t.is(again.json.error.code, 'already_collected');
  t.is(again.json.error.details.site_id, site0);
  t.is(again.json.error.details.site_name, await nameOf(site0));
  t.truthy(again.json.error.details.collected_at);
  const ok = presses.find((r) => r.status === 201)!;
  t.is(ok.json.collection.public_id, w0.public_id);
  await auditCollections({ db: app.db, clock: app.clock }); // the reconciler's pass
  const audit = await app
    .db('audit_log')
    .where({ action: 'award.collected' })
    .whereRaw("data->>'public_id' = ?", [w0.public_id]);
  t.is(audit.length, 1);
  t.is(audit[0].actor, `staff:${staff0!.id}`);
  t.is(audit[0].data.site, site0);
  const row = await app.db('awards').where({ campaign_id: sc.s.campaignId, public_id: w0.public_id }).first();
  t.is(row.status, 'collected');
  t.is(row.collected_site, site0);
});

test.serial('unknown, forged, expired and not-won codes get their own codes', async (t) => {
  const sc = await counterScenario(app);
  const site0 = sc.s.siteIds[0]!;
  app.clock.set(at(61));
  const [staff0] = await sc.signIn();
  const unknown = await collect(site0, staff0, { code: 'ZZZZZ-ZZZZZ' });
  t.is(unknown.status, 404);
  t.is(unknown.json.error.code, 'claim_code_unknown');

  const w = sc.winnersAt(site0)[1]!;
  const token = await sc.tokenOf(w.public_id);
  const forged = await collect(site0, staff0, { code: `${token.slice(0, -4)}AAAA` });
  t.is(forged.status, 422);
  t.is(forged.json.error.code, 'claim_token_invalid');

  const signer = await claimSigner(TEST_SECRETS);
  const waiting = sc.awards.find((a) => a.outcome === 'waitlisted')!;
  const notWon = await signClaimToken(
    signer,
    {
      campaign_id: sc.s.campaignId,
      public_id: waiting.public_id,
      site: site0,
      slot: '',
      amount: 1,
      unit: 'item',
      from: at(5),
      deadline: at(200),
      checks: [],
    },
    at(61),
  );
  const nw = await collect(site0, staff0, { code: notWon });
  t.is(nw.status, 409);
  t.is(nw.json.error.code, 'not_won');

  // Tokens signed with the service's key but not as the service writes them: with no site, slot, checks or
  // unit the facts take their defaults (and the award is still looked up, not trusted); with no campaign, or
  // no expiry, the token is refused as invalid; expired and unreadable, the deadline is not made up.
  const signed = (claims: Record<string, unknown>, exp?: Date) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: CLAIM_TOKEN_TYPE })
      .setIssuedAt(Math.floor(at(61).getTime() / 1000));
    if (exp) jwt.setExpirationTime(Math.floor(exp.getTime() / 1000));
    return jwt.sign(signer.privateKey);
  };
  const bare = await signed({ c: sc.s.campaignId, p: waiting.public_id, u: 'KRW' }, at(200));
  const bareRes = await collect(site0, staff0, { code: bare });
  t.is(bareRes.status, 409, bareRes.text);
  t.is(bareRes.json.error.code, 'not_won');
  const s1 = sc.winnersAt(site0).find((a) => a.slot.endsWith('-S1'))!; // its slot has started at +61 h
  const check = await app.request('POST', `/api/sites/${site0}/collections/check`, {
    as: staff0,
    json: { code: await signed({ c: sc.s.campaignId, p: s1.public_id, k: 'not a list' }, at(200)) },
  });
  t.is(check.status, 200, check.text);
  t.is(check.json.award.public_id, s1.public_id);
  t.is(check.json.award.slot, s1.slot, 'the award is read from the database, not from the token');
  for (const code of [
    await signed({ p: w.public_id }, at(200)),
    await signed({ c: sc.s.campaignId, p: w.public_id }),
  ]) {
    const bad = await collect(site0, staff0, { code });
    t.is(bad.status, 422, bad.text);
    t.is(bad.json.error.code, 'claim_token_invalid');
  }
  const stale = await collect(site0, staff0, { code: await signed({ c: sc.s.campaignId }, at(60)) });
  t.is(stale.status, 410);
  t.is(stale.json.error.code, 'claim_expired');
  t.is(stale.json.error.details.deadline, null);
  t.deepEqual(
    await app.db('counter_collections').where({ campaign_id: sc.s.campaignId }),
    [],
    'nothing recorded',
  );

  // Past the claim deadline (+77 h), before any sweep has released it: refused, nothing changed.
  app.clock.set(at(78));
  const [later] = await sc.signIn();
  const late = await collect(site0, later, { code: await sc.codeOf(w.public_id) });
  t.is(late.status, 410, late.text);
  t.is(late.json.error.code, 'claim_expired');
  const expiredToken = await collect(site0, later, { code: token });
  t.is(expiredToken.status, 410);
  t.is(expiredToken.json.error.code, 'claim_expired');
  t.is(
    (await app.db('awards').where({ campaign_id: sc.s.campaignId, public_id: w.public_id }).first()).status,
    'won',
  );
});

test.serial('a refusal at the counter releases the award down the waitlist, audited', async (t) => {
  const sc = await counterScenario(app);
  const site0 = sc.s.siteIds[0]!;
  app.clock.set(at(61));
  const [staff0] = await sc.signIn();
  const w = sc.winnersAt(site0).find((a) => a.slot.endsWith('-S1'))!;
  const r = await app.request('POST', `/api/sites/${site0}/refusals`, {
    as: staff0,
    json: { code: await sc.codeOf(w.public_id), reason: 'id_mismatch' },
  });
  t.is(r.status, 201, r.text);
  t.is(r.json.refusal.reason, 'id_mismatch');
  const to = r.json.refusal.passed_to as string;
  t.truthy(to, 'passed down');
  const next = await app.db('awards').where({ campaign_id: sc.s.campaignId, public_id: to }).first();
  t.is(next.status, 'promoted');
  t.is(next.held_site, site0);
  t.is(next.promoted_from_rank, w.rank);
  t.falsy(
    next.held_slot,
    "no slot ahead to pass down to: the site's last started at +62 h, promotions need 2 h",
  );
  const slotless = await app.request('POST', `/api/sites/${site0}/collections/check`, {
    as: staff0,
    json: { code: await sc.codeOf(to) },
  });
  t.is(slotless.status, 200, slotless.text);
  t.like(slotless.json.award, { public_id: to, slot: '', slot_starts_at: null, slot_ends_at: null });
  const refused = await app
    .db('awards')
    .where({ campaign_id: sc.s.campaignId, public_id: w.public_id })
    .first();
  t.is(refused.status, 'refused');
  const entries = await app
    .db('audit_log')
    .where({ subject: `campaign:${sc.s.campaignId}` })
    .whereIn('action', ['award.refused', 'award.promoted'])
    .orderBy('seq');
  t.deepEqual(
    entries.map((e) => [e.action, e.actor]),
    [
      ['award.refused', `staff:${staff0!.id}`],
      ['award.promoted', `staff:${staff0!.id}`],
    ],
  );
  // The public lookup tells the promoted applicant what was passed to them: the amount and the site, in words.
  const lookup = await app.request('GET', `/campaigns/${sc.s.campaignId}/audit?public_id=${to}`, {
    headers: { accept: 'text/html' },
  });
  t.is(lookup.status, 200);
  const site = await app.db('sites').where({ id: site0 }).first();
  t.true(
    lookup.text.includes(`id="lookup-promoted">${Number(next.held_amount)}개 · ${site.name_ko}`),
    lookup.text,
  );
  // The promoted applicant's new code works at the counter at once (indexed with the promotion notice).
  const second = await collect(site0, staff0, { code: await sc.codeOf(to) });
  t.true([201, 409].includes(second.status), second.text);
  if (second.status === 409) t.is(second.json.error.code, 'pickup_not_started');
  const again = await app.request('POST', `/api/sites/${site0}/refusals`, {
    as: staff0,
    json: { code: await sc.codeOf(w.public_id), reason: 'no_group_proof' },
  });
  t.is(again.status, 409);
  t.is(again.json.error.code, 'award_refused');

  // Today's list at the counter: the refused award stays in its slot as released; the award passed down with
  // no slot left ahead (the site's last slot started at +62 h, promotions need 2 h) is listed as "any time".
  const list = await app.request('GET', `/api/sites/${site0}/pickups`, { as: staff0 });
  t.is(list.status, 200, list.text);
  t.is(list.json.site.id, site0);
  const [campaign] = list.json.campaigns;
  t.is(campaign.id, sc.s.campaignId);
  t.is(campaign.time_zone, 'Asia/Seoul');
  t.is(campaign.date, '2026-12-03', "the day in the campaign's own time zone (+61 h from 12-01 00:00 KST)");
  type Listed = {
    id: string;
    counts: { awards: number; collected: number; waiting: number; released: number };
    pickups: Array<{ public_id: string; status: string }>;
  };
  const slots = campaign.slots as Listed[];
  const refusedIn = slots.find((s) => s.id === w.slot)!;
  t.deepEqual(
    refusedIn.pickups.find((p) => p.public_id === w.public_id),
    { public_id: w.public_id, amount: Number(w.amount), status: 'refused', collected_at: null },
  );
  t.is(refusedIn.counts.released, 1);
  const anyTime = slots.at(-1)!;
  t.is(anyTime.id, '');
  t.is(
    anyTime.pickups.find((p) => p.public_id === to)?.status,
    second.status === 201 ? 'collected' : 'promoted',
  );
  for (const s of slots) {
    t.is(s.counts.awards, s.pickups.length);
    t.is(s.counts.awards, s.counts.collected + s.counts.waiting + s.counts.released);
  }
  // Another site's staff may not read it; an unknown site is not found.
  const [, staff1] = await sc.signIn();
  const other = await app.request('GET', `/api/sites/${site0}/pickups`, { as: staff1 });
  t.is(other.status, 403);
  t.is(other.json.error.code, 'forbidden');
  const nowhere = await app.request('GET', '/api/sites/PH-NOWHERE/pickups', { as: await app.staff('admin') });
  t.is(nowhere.status, 404);
  t.is(nowhere.json.error.code, 'not_found');
  // The page's own forms (no script): collect and refuse answer on the page; a reason the form does not
  // offer is recorded as 'other'; an empty code is refused there, changing nothing.
  const pharmacist = await signInWithForm(app, 'site_staff', { site_id: site0 });
  app.clock.set(at(62.1)); // both of the site's slots open
  const [w2, w3] = sc.winnersAt(site0).filter((a) => a.public_id !== w.public_id);
  const collected = await pharmacist.post('/counter/collect', { code: await sc.codeOf(w2!.public_id) });
  t.is(collected.status, 200, collected.text.slice(0, 300));
  t.true(collected.text.includes(`수령 처리되었습니다: ${w2!.public_id}`));
  const statusOf = async (publicId: string) =>
    (await app.db('awards').where({ campaign_id: sc.s.campaignId, public_id: publicId }).first()).status;
  t.is(await statusOf(w2!.public_id), 'collected');
  // A refusal is asked first: the press shows what it would do and changes nothing; the page's "yes" form refuses.
  const asked = await pharmacist.post('/counter/refuse', {
    code: await sc.codeOf(w3!.public_id),
    reason: 'looked shifty',
  });
  t.is(asked.status, 200, asked.text.slice(0, 300));
  t.true(asked.text.includes('정말 수령을 거절할까요?'));
  t.true(
    asked.text.includes(`${w3!.public_id}의 당첨이 취소되고 대기자에게 넘어갑니다. 되돌릴 수 없습니다.`),
  );
  t.regex(asked.text, /action="\/counter\/check\?site=[^"]+"[\s\S]*돌아가기 \(거절하지 않음\)/, 'a way back');
  t.is(await statusOf(w3!.public_id), 'won', 'asking refuses nothing');
  const yes = formPostOf(asked.text, `/counter/refuse?site=${site0}`);
  t.is(yes.confirm, 'yes');
  const refusedByForm = await pharmacist.post('/counter/refuse', yes);
  t.is(refusedByForm.status, 200, refusedByForm.text.slice(0, 300));
  t.true(refusedByForm.text.includes(`수령을 거절했습니다: ${w3!.public_id}`));
  t.is(await statusOf(w3!.public_id), 'refused');
  const audit = await app
    .db('audit_log')
    .where({ action: 'award.refused' })
    .whereRaw("data->>'public_id' = ?", [w3!.public_id])
    .first();
  t.is(audit.data.reason, 'other');
  const audits = Number((await app.db('audit_log').count('* as n'))[0]!.n);
  const empty = await pharmacist.post('/counter/collect', { code: '  ' });
  t.is(empty.status, 404, empty.text.slice(0, 300));
  t.true(empty.text.includes('id="check-form"'), 'the counter page, with its form, not an error page');
  t.is(Number((await app.db('audit_log').count('* as n'))[0]!.n), audits);
});

test.serial(
  'collections recorded offline sync later; a code spent twice is flagged for admins',
  async (t) => {
    const sc = await counterScenario(app);
    const site0 = sc.s.siteIds[0]!;
    app.clock.set(at(60.5));
    const [staff0] = await sc.signIn();
    const staffB = await app.staff('site_staff', { site_id: site0 });
    const [a, b] = sc.winnersAt(site0).filter((w) => w.slot.endsWith('-S1'));
    app.clock.set(at(60.5));
    const tokenA = await sc.tokenOf(a!.public_id);
    const tokenB = await sc.tokenOf(b!.public_id);
    app.clock.set(at(61));
    // Device 1 was offline at +60.5 h and hands over A and B; device 2 (online) collects B at +60.75 h.
    app.clock.set(at(60.75));
    t.is((await collect(site0, staffB, { code: tokenB })).status, 201);
    app.clock.set(at(61));
    const handed = at(60.5).toISOString();
    const syncA = await collect(site0, staff0, {
      code: tokenA,
      offline_ref: 'dev1-rec-0001',
      handed_over_at: handed,
    });
    t.is(syncA.status, 201, syncA.text);
    t.is(syncA.json.collection.via, 'offline');
    t.is(syncA.json.collection.collected_at, handed);
    const resync = await collect(site0, staff0, {
      code: tokenA,
      offline_ref: 'dev1-rec-0001',
      handed_over_at: handed,
    });
    t.is(resync.status, 201, 'a repeated sync is the same collection');
    const syncB = await collect(site0, staff0, {
      code: tokenB,
      offline_ref: 'dev1-rec-0002',
      handed_over_at: handed,
    });
    t.is(syncB.status, 409);
    t.is(syncB.json.error.code, 'already_collected');
    await collect(site0, staff0, { code: tokenB, offline_ref: 'dev1-rec-0002', handed_over_at: handed });
    const conflicts = await app.db('collection_conflicts').where({ campaign_id: sc.s.campaignId });
    t.is(conflicts.length, 1, 'flagged once');
    t.is(conflicts[0].public_id, b!.public_id);
    t.is(conflicts[0].first_collected_by, `staff:${staffB.id}`);
    const flagged = await app.db('audit_log').where({ action: 'award.double_collected' });
    t.is(flagged.length, 1);
    t.is(flagged[0].actor, `staff:${staff0!.id}`);
    const admin = await app.staff('admin');
    const list = await app.request('GET', `/api/admin/campaigns/${sc.s.campaignId}/pickups?site=${site0}`, {
      as: admin,
    });
    t.is(list.status, 200, list.text);
    t.is(list.json.conflicts.length, 1);
    t.is(list.json.conflicts[0].public_id, b!.public_id);
    const csv = await app.request('GET', `/admin/campaigns/${sc.s.campaignId}/pickups.csv?site=${site0}`, {
      as: admin,
      headers: { accept: 'text/csv' },
    });
    t.is(csv.status, 200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    t.true(lines[0]!.startsWith('site,slot,slot_starts_at,public_id,status'));
    t.true(lines.some((l) => l.includes(a!.public_id) && l.includes(',collected,') && l.includes('offline')));
    const page = await app.request('GET', `/admin/campaigns/${sc.s.campaignId}/pickups?site=${site0}`, {
      as: admin,
      headers: { accept: 'text/html' },
    });
    t.is(page.status, 200);
    t.true(page.text.includes(b!.public_id), 'the double spend is shown to admins');
  },
);

test.serial(
  'two presses at the same moment: the one waiting on the first finds nothing left to collect',
  async (t) => {
    const sc = await counterScenario(app);
    const site0 = sc.s.siteIds[0]!;
    const w = sc.winnersAt(site0)[0]!;
    const mark = { site: site0, by: 'staff:test', at: at(61), via: 'counter' as const, ref: null };
    const record = {
      actor: 'staff:test',
      found_by: 'code',
      recorded_at: at(61),
      handed_over_at: null,
    } as const;
    // Both transactions are past their checks; the first has updated but not committed.
    const first = await app.db.transaction();
    const second = await app.db.transaction();
    const press = (trx: typeof first) =>
      collectRecordAndCount(trx, sc.s.campaignId, w.public_id, mark, record, true, 10_000);
    t.truthy((await press(first)).award);
    const waiting = press(second); // blocks on the row lock
    await new Promise((r) => setTimeout(r, 200));
    await first.commit();
    t.deepEqual(await waiting, { award: undefined, countsReady: true }, 'the second press changes nothing');
    await second.rollback();
    const recorded = await app.db('counter_collections').where({ campaign_id: sc.s.campaignId });
    t.deepEqual(
      recorded.map((r) => r.public_id),
      [w.public_id],
      'recorded once',
    );
  },
);
