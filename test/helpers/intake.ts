// Intake test helpers: an open campaign (window set against the DATABASE clock), residents verified by code.
import { createCampaign } from '../../src/commands/saveCampaign.js';
import { parseCampaignBody } from '../../src/http/routes/campaigns/schema.js';
import { openedTexts } from '../../src/notify/recipient.js';
import type { StaffAuth, TestApp } from './app.js';
import { buildGoodsCampaign, buildVoucherCampaign } from './factories.js';

export const SITES = [
  { id: 'PH-A', name_ko: '가약국', name_en: 'A Pharmacy', district: '중구', address: '1' },
  { id: 'PH-B', name_ko: '나약국', name_en: 'B Pharmacy', district: '중구', address: '2' },
  { id: 'PH-C', name_ko: '다약국', name_en: 'C Pharmacy', district: '동구', address: '3' },
];

/** An admin adds two pharmacies through the API: PH-A and PH-B, '행복약국 PH-A' / 'Happy Pharmacy PH-A' and so on. */
export async function putHappyPharmacies(app: TestApp, admin: StaffAuth) {
  for (const id of ['PH-A', 'PH-B']) {
    await app.request('PUT', `/api/admin/sites/${id}`, {
      as: admin,
      json: {
        name_ko: `행복약국 ${id}`,
        name_en: `Happy Pharmacy ${id}`,
        district: '중구',
        address: '세종대로 110',
      },
    });
  }
}

/** Opens the window by the database clock: opens_at an hour ago, closes_at a day ahead (both DB time). */
export async function openWindow(app: TestApp, id: string, closesIn = "interval '1 day'") {
  await app.db.raw(
    `UPDATE campaigns SET state = 'open', opens_at = now() - interval '1 hour', closes_at = now() + ${closesIn},
       draw_at = now() + interval '2 days', claim_opens_at = now() + interval '3 days',
       claim_closes_at = now() + interval '30 days' WHERE id = ?`,
    [id],
  );
}

export async function openVoucherCampaign(app: TestApp, overrides: Record<string, unknown> = {}) {
  const input = parseCampaignBody(buildVoucherCampaign(app.clock.now(), overrides));
  const c = await createCampaign({ db: app.db, clock: app.clock }, { kind: 'system', name: 'test' }, input);
  await openWindow(app, c.id);
  return c;
}

export async function openGoodsCampaign(app: TestApp, overrides: Record<string, unknown> = {}) {
  await app.db('sites').insert(SITES).onConflict('id').ignore();
  const input = parseCampaignBody(
    buildGoodsCampaign(
      app.clock.now(),
      SITES.map((s) => s.id),
      overrides,
    ),
  );
  const c = await createCampaign({ db: app.db, clock: app.clock }, { kind: 'system', name: 'test' }, input);
  await openWindow(app, c.id);
  return c;
}

/** The code inside the queued 'otp' message (stored sealed), as the dev outbox would show it. */
export async function codeFor(app: TestApp, challengeId: string): Promise<string> {
  const m = await app
    .db('messages')
    .where({ dedupe_key: `otp:${challengeId}` })
    .first('body', 'sealed');
  const body = m ? openedTexts(m, app.deps.config.secrets.dataKey).body : '';
  const code = /\b(\d{6})\b/.exec(body)?.[1];
  if (!code) throw new Error(`no code queued for ${challengeId}`);
  return code;
}

let phoneCounter = 1000;

/** A distinct valid Korean mobile number per call. */
export function nextPhone(): string {
  phoneCounter++;
  return `010-${String(2000 + (phoneCounter % 7000)).padStart(4, '0')}-${String(phoneCounter).slice(-4)}`;
}

export async function verifyResident(
  app: TestApp,
  opts: { phone?: string; birth_date?: string } = {},
): Promise<{ token: string; headers: Record<string, string>; phone: string }> {
  const phone = opts.phone ?? nextPhone();
  const sent = await app.request('POST', '/api/identity/codes', {
    json: { channel: 'sms', phone, birth_date: opts.birth_date ?? '19820315' },
  });
  if (sent.status !== 202) throw new Error(`code request failed: ${sent.status} ${sent.text}`);
  const code = await codeFor(app, sent.json.challenge_id);
  const res = await app.request('POST', '/api/identity/verify', {
    json: { challenge_id: sent.json.challenge_id, code },
  });
  if (res.status !== 200) throw new Error(`verify failed: ${res.status} ${res.text}`);
  return { token: res.json.token, headers: { 'x-resident-token': res.json.token }, phone };
}

/** Generous limits so a test file can verify many residents from 127.0.0.1. */
export const ROOMY_LIMITS = {
  resendCooldown: { points: 1, seconds: 60 },
  codesPerTarget: { points: 5, seconds: 3600 },
  codesPerIp: { points: 100_000, seconds: 3600 },
  verifyPerIp: { points: 100_000, seconds: 600 },
};

/** A verified resident who has applied to an open voucher campaign over the API; their receipt's public id. */
export async function appliedResident(app: TestApp, campaignId: string, amount = 100_000) {
  const r = await verifyResident(app);
  const res = await app.request('POST', `/api/campaigns/${campaignId}/application`, {
    headers: r.headers,
    json: { amount },
  });
  if (res.status !== 201) throw new Error(`apply failed: ${res.status} ${res.text}`);
  return { ...r, publicId: res.json.receipt.public_id as string };
}

/** Moves an open campaign's application window (the rules a test needs a window of a given shape for). */
export async function setWindow(app: TestApp, id: string, opensAt: string, closesAt: string): Promise<void> {
  await app
    .db('campaigns')
    .where({ id })
    .update({ opens_at: new Date(opensAt), closes_at: new Date(closesAt) });
}

/** A helper registered by an admin (cap 2), verified: their session's headers and the proxy's id. */
export async function registeredHelper(app: TestApp) {
  const admin = await app.staff('admin');
  const phone = nextPhone();
  const reg = await app.request('POST', '/api/admin/proxies', {
    as: admin,
    json: { phone, birth_date: '19700101', kind: 'staff', label: '행복센터', cap: 2 },
  });
  if (reg.status !== 201) throw new Error(reg.text);
  const { headers } = await verifyResident(app, { phone, birth_date: '19700101' });
  return { headers, proxyId: reg.json.proxy.id as string };
}

/** The subject token a helper gets once the person at `phone` read them their code. */
export async function proxySubjectToken(app: TestApp, helper: Record<string, string>, phone: string) {
  const sent = await app.request('POST', '/api/proxy/codes', {
    headers: helper,
    json: { phone, birth_date: '19400202' },
  });
  if (sent.status !== 202) throw new Error(sent.text);
  const v = await app.request('POST', '/api/proxy/verify', {
    headers: helper,
    json: { challenge_id: sent.json.challenge_id, code: await codeFor(app, sent.json.challenge_id) },
  });
  return v.json.subject_token as string;
}
