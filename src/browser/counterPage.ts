// The counter page in the browser (built into static/counter.js by scripts/build-counter.ts). Online it checks,
// collects and refuses through the JSON API in place; offline it verifies a scanned claim token with the public
// key embedded in the page (jose), records the collection in IndexedDB (idb-keyval) and sends it when the
// connection returns. QR codes are read with the camera: BarcodeDetector where the browser has it, else jsQR,
// fetched only then (static/counter-qr.js, from browser/counterQr.ts). Times are written by whenIntl, the
// luxon-free twin of the pages' when(): this script carries no date library.
// Over 300 lines on purpose: it is one page's whole behaviour (check, collect, refuse, scan, offline queue),
// read top to bottom, and the bundle has no module seams to gain from splitting it.
import { createStore, del, entries, get, set } from 'idb-keyval';
import { decodeProtectedHeader, importJWK, type JWK, jwtVerify } from 'jose';
import { countPickup, noPickups } from '../domain/pickupCounts.js';
import { whenIntl } from '../i18n/whenIntl.js';
import type { Decode } from './counterQr.js';

interface Config {
  site: string;
  grace_minutes: number;
  csrf: string;
  lang: 'ko' | 'en';
  /** the time zone pickups are shown in (the campaigns', Asia/Seoul by default) */
  zone: string;
  /** the campaigns listed today, by id: what an offline check shows of a token's campaign */
  campaigns: Record<string, CampaignFacts>;
  keys: JWK[];
  strings: Record<string, string>;
  errors: Record<string, string>;
}

interface Check {
  kind: 'birth_year' | 'group';
  birth_year?: number;
  label_ko?: string;
  label_en?: string;
  proof_ko?: string;
  proof_en?: string;
  check: boolean;
}

interface CampaignFacts {
  title_ko: string;
  title_en: string;
  code: string;
  time_zone: string;
}

interface AwardFacts {
  campaign_id: string;
  /** absent only offline, for a campaign not on today's list */
  campaign?: CampaignFacts;
  public_id: string;
  amount: number;
  unit: string;
  slot_starts_at: string | null;
  claim_deadline: string | null;
  checks: Check[];
}

interface OfflineRecord {
  ref: string;
  code: string;
  public_id: string;
  handed_over_at: string;
}

const cfg = JSON.parse(document.getElementById('counter-config')!.textContent!) as Config;
const queue = createStore('counter-queue', 'records');
const spent = createStore('counter-spent', 'awards');
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const result = $('result');
const codeInput = $<HTMLInputElement>('code');

const say = (key: string, params: Record<string, string | number> = {}) =>
  (cfg.strings[key] ?? key).replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
/** A moment as the pages show it (i18n/whenIntl.ts), in the award's campaign's zone where known. */
const fmt = (iso: string | null, zone = cfg.zone) =>
  iso ? whenIntl(new Date(iso), zone, cfg.lang) : say('any_time');
const looksLikeToken = (s: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(s.trim());

function el(tag: string, attrs: Record<string, string> = {}, ...kids: Array<Node | string>): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...kids);
  return e;
}

function show(...nodes: Node[]) {
  result.replaceChildren(...nodes);
}

function message(text: string, kind: 'error' | 'ok') {
  show(
    el(
      'p',
      kind === 'error' ? { class: 'error', role: 'alert' } : { class: 'note ok', role: 'status' },
      text,
    ),
  );
}

function checkLines(checks: Check[]): HTMLElement {
  const ko = cfg.lang === 'ko';
  const items = checks.map((k) => {
    const label = (ko ? k.label_ko : k.label_en) ?? '';
    const text =
      k.kind === 'birth_year'
        ? say(k.check ? 'check_birth' : 'check_birth_ok', { year: k.birth_year ?? '' })
        : say(k.check ? 'check_group' : 'check_group_ok', {
            label,
            proof: (ko ? k.proof_ko : k.proof_en) ?? '',
          });
    return el('li', { class: k.check ? 'must' : 'done' }, text);
  });
  return el('ul', { class: 'checks' }, ...(items.length ? items : [el('li', {}, say('no_checks'))]));
}

/** The facts, the checks and the buttons; `offline` when only the token's signature vouches for them. */
function showAward(a: AwardFacts, code: string, offline: boolean) {
  const unit = a.unit === 'KRW' ? say('unit_krw') : say(a.amount === 1 ? 'unit_item_one' : 'unit_item');
  const zone = a.campaign?.time_zone;
  const campaign = a.campaign
    ? [
        el('dt', {}, say('campaign')),
        el('dd', {}, cfg.lang === 'ko' ? a.campaign.title_ko : a.campaign.title_en),
      ]
    : [];
  const collect = el('button', { type: 'button', class: 'primary big', id: 'collect' }, say('collect'));
  collect.addEventListener('click', () => (offline ? collectOffline(a, code) : collectOnline(code)));
  const reason = el('select', { id: 'reason' });
  for (const r of ['id_mismatch', 'no_group_proof', 'no_id', 'other'])
    reason.append(el('option', { value: r }, say(`reason_${r}`)));
  const refuse = el('button', { type: 'button', class: 'danger', id: 'refuse' }, say('refuse'));
  const refuseBox = el(
    'div',
    { class: 'stack refuse' },
    el('label', { for: 'reason' }, say('refuse_reason')),
    reason,
    refuse,
  );
  refuse.addEventListener('click', () =>
    askToRefuse(refuseBox, a, code, (reason as HTMLSelectElement).value),
  );
  show(
    el(
      'div',
      { class: 'counter-award' },
      ...(offline ? [el('p', { class: 'note' }, say('offline_checked'))] : []),
      el('h3', {}, `${say('hand_over')}: `, el('strong', {}, `${a.amount.toLocaleString()} ${unit}`)),
      el(
        'dl',
        { class: 'facts' },
        el('dt', {}, say('public_id')),
        el('dd', {}, a.public_id),
        ...campaign,
        el('dt', {}, say('slot')),
        el('dd', {}, fmt(a.slot_starts_at, zone)),
        el('dt', {}, say('deadline')),
        el('dd', {}, a.claim_deadline ? fmt(a.claim_deadline, zone) : ''),
      ),
      el('h3', {}, say('checks')),
      checkLines(a.checks),
      collect,
      ...(offline ? [el('p', { class: 'hint' }, say('offline_refuse'))] : [refuseBox]),
    ),
  );
  collect.focus();
}

/**
 * A refusal releases the award for good: the first press asks in place of the refuse box, naming the award and
 * the reason; "yes" refuses, "back" shows the award again (as the page's forms do without the script).
 */
function askToRefuse(box: HTMLElement, a: AwardFacts, code: string, reason: string) {
  const yes = el('button', { type: 'button', class: 'danger', id: 'refuse-yes' }, say('refuse_yes'));
  yes.addEventListener('click', () => refuseOnline(code, reason));
  const back = el('button', { type: 'button', class: 'secondary', id: 'refuse-back' }, say('refuse_back'));
  back.addEventListener('click', () => showAward(a, code, false));
  const title = el('h3', { tabindex: '-1' }, say('refuse_confirm_title'));
  box.replaceWith(
    el(
      'div',
      { class: 'confirm', id: 'refuse-confirm' },
      title,
      el(
        'dl',
        { class: 'facts' },
        el('dt', {}, say('public_id')),
        el('dd', {}, a.public_id),
        el('dt', {}, say('refuse_reason')),
        el('dd', {}, say(`reason_${reason}`)),
      ),
      el('p', { class: 'note' }, say('refuse_confirm_body', { id: a.public_id })),
      el('div', { class: 'actions' }, yes, back),
    ),
  );
  title.focus();
}

const siteApi = (path: string) => `/api/sites/${encodeURIComponent(cfg.site)}${path}`;

async function api(path: string, body: unknown): Promise<Response> {
  return fetch(siteApi(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': cfg.csrf },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
}

async function showError(res: Response) {
  const body = (await res.json().catch(() => ({}))) as {
    error?: { code: string; message: string; details?: Record<string, string> };
  };
  const e = body.error;
  const site =
    cfg.lang === 'ko' ? e?.details?.site_name : (e?.details?.site_name_en ?? e?.details?.site_name);
  const extra = [site, e?.details?.collected_at ? fmt(e.details.collected_at) : '']
    .filter(Boolean)
    .join(' · ');
  message(
    `${(e && cfg.errors[e.code]) || e?.message || res.statusText}${extra ? ` (${extra})` : ''}`,
    'error',
  );
}

/** fetch rejects only when the network is down (or the server unreachable): then the offline path is taken. */
async function online<T>(run: () => Promise<T>, fallback: () => Promise<T> | T): Promise<T> {
  if (!navigator.onLine) return fallback();
  try {
    return await run();
  } catch (err) {
    if (err instanceof TypeError) {
      setNetwork(false);
      return fallback();
    }
    throw err;
  }
}

async function check(code: string) {
  await online(
    async () => {
      const res = await api('/collections/check', { code });
      if (!res.ok) return showError(res);
      showAward(((await res.json()) as { award: AwardFacts }).award, code, false);
    },
    () => checkOffline(code),
  );
}

async function collectOnline(code: string) {
  await online(
    async () => {
      const res = await api('/collections', { code });
      if (!res.ok) return showError(res);
      const { collection } = (await res.json()) as { collection: { campaign_id: string; public_id: string } };
      markRow(collection.campaign_id, collection.public_id, 'collected');
      message(say('collected_ok', { id: collection.public_id }), 'ok');
      codeInput.value = '';
    },
    () => (looksLikeToken(code) ? checkOffline(code) : message(say('offline_short_code'), 'error')),
  );
}

async function refuseOnline(code: string, reason: string) {
  await online(
    async () => {
      const res = await api('/refusals', { code, reason });
      if (!res.ok) return showError(res);
      const { refusal } = (await res.json()) as {
        refusal: { campaign_id: string; public_id: string; passed_to: string | null };
      };
      markRow(refusal.campaign_id, refusal.public_id, 'refused');
      message(say('refused_ok', { id: refusal.public_id }), 'ok');
      codeInput.value = '';
      // passed down the waitlist, perhaps to someone who comes here today: their row shows now, not at the next look
      if (refusal.passed_to) await refreshList();
    },
    () => message(say('offline_refuse'), 'error'),
  );
}

/** Verifies a claim token with the page's public key; checks the site, the time and this device's own record. */
async function checkOffline(code: string) {
  if (!looksLikeToken(code)) return message(say('offline_short_code'), 'error');
  let p: Record<string, unknown>;
  try {
    const { kid } = decodeProtectedHeader(code);
    const jwk = cfg.keys.find((k) => k.kid === kid) ?? cfg.keys[0]!;
    const key = await importJWK(jwk, 'ES256');
    p = (await jwtVerify(code.trim(), key, { algorithms: ['ES256'], typ: 'fa-claim+jwt' })).payload;
  } catch (err) {
    const expired = (err as { code?: string }).code === 'ERR_JWT_EXPIRED';
    return message(cfg.errors[expired ? 'claim_expired' : 'claim_token_invalid']!, 'error');
  }
  if (p.s !== cfg.site) return message(cfg.errors.wrong_site!, 'error');
  const opens = Number(p.f) * 1000 - cfg.grace_minutes * 60_000;
  if (Date.now() < opens)
    return message(`${cfg.errors.pickup_not_started} (${fmt(new Date(opens).toISOString())})`, 'error');
  const key = `${p.c}/${p.p}`;
  const before = await get<string>(key, spent);
  if (before) return message(say('offline_already', { at: fmt(before) }), 'error');
  showAward(
    {
      campaign_id: String(p.c),
      campaign: cfg.campaigns[String(p.c)],
      public_id: String(p.p),
      amount: Number(p.a),
      unit: String(p.u),
      slot_starts_at: p.t ? new Date(Number(p.f) * 1000).toISOString() : null,
      claim_deadline: new Date(Number(p.exp) * 1000).toISOString(),
      checks: (p.k as Check[]) ?? [],
    },
    code,
    true,
  );
}

async function collectOffline(a: AwardFacts, code: string) {
  const at = new Date().toISOString();
  const ref = `${Date.now().toString(36)}-${crypto.getRandomValues(new Uint32Array(2)).join('')}`;
  await set(ref, { ref, code, public_id: a.public_id, handed_over_at: at } satisfies OfflineRecord, queue);
  await set(`${a.campaign_id}/${a.public_id}`, at, spent);
  markRow(a.campaign_id, a.public_id, 'collected');
  message(say('offline_saved', { id: a.public_id }), 'ok');
  codeInput.value = '';
  await showQueue();
}

let syncing = false;

/** Sends what was recorded offline; an award already spent is flagged by the server and shown here. */
async function sync() {
  if (syncing || !navigator.onLine) return;
  syncing = true;
  try {
    let sent = 0;
    const conflicts: string[] = [];
    for (const [, r] of await entries<string, OfflineRecord>(queue)) {
      const res = await api('/collections', {
        code: r.code,
        offline_ref: r.ref,
        handed_over_at: r.handed_over_at,
      });
      // Signed out or server trouble: keep the record for the next try.
      if (res.status >= 500 || res.status === 401 || res.status === 403) break;
      if (!res.ok) {
        // Spent or released meanwhile: the server kept it as a conflict for admins.
        const e = ((await res.json()) as { error: { details?: { collected_at?: string } } }).error;
        conflicts.push(say('conflict', { id: r.public_id, at: fmt(e.details?.collected_at ?? null) }));
      }
      await del(r.ref, queue);
      sent++;
    }
    if (sent > 0) {
      const lines = [el('p', { class: 'note ok', role: 'status' }, say('synced', { n: sent }))];
      for (const c of conflicts) lines.push(el('p', { class: 'error', role: 'alert' }, c));
      show(...lines);
      await refreshList();
    }
  } catch {
    setNetwork(false);
  } finally {
    syncing = false;
    await showQueue();
  }
}

async function showQueue() {
  const n = (await entries(queue)).length;
  $('queue-status').textContent = n > 0 ? say('queue', { n }) : '';
}

function setNetwork(up: boolean) {
  const status = $('net-status');
  status.textContent = say(up ? 'online' : 'offline');
  status.className = up ? '' : 'offline';
}

const rowOf = (campaignId: string, publicId: string) =>
  document.querySelector<HTMLElement>(
    `.pickup-slot[data-campaign="${CSS.escape(campaignId)}"] tr[data-public-id="${CSS.escape(publicId)}"]`,
  );

/** One award's status in today's list, and its slot's summary counted again from the slot's rows. */
function markRow(campaignId: string, publicId: string, status: string) {
  const row = rowOf(campaignId, publicId);
  const slot = row?.closest<HTMLElement>('.pickup-slot');
  if (!row || !slot || row.dataset.status === status) return;
  row.dataset.status = status;
  const cell = row.querySelector('td:last-child')!;
  cell.className = `status-${status}`;
  cell.textContent = say(`status_${status}`);
  recount(slot);
}

function recount(slot: HTMLElement) {
  const counts = noPickups();
  for (const r of slot.querySelectorAll<HTMLElement>('tr[data-status]'))
    countPickup(counts, r.dataset.status!);
  slot.querySelector('.slot-counts')!.textContent = say('slot_counts', { ...counts });
}

interface ListedPickup {
  public_id: string;
  amount: number;
  status: string;
}

/** A pickup new to the page (an award passed down onto this site) added to its slot, as the server renders it. */
function addRow(slot: HTMLElement, p: ListedPickup) {
  let body = slot.querySelector('tbody');
  if (!body) {
    body = el('tbody') as HTMLTableSectionElement;
    const head = el(
      'tr',
      {},
      ...['public_id', 'amount', 'status'].map((k) => el('th', { scope: 'col' }, say(k))),
    );
    slot.append(el('table', { class: 'pickups' }, el('thead', {}, head), body));
  }
  body.append(
    el(
      'tr',
      { 'data-public-id': p.public_id, 'data-status': p.status },
      el('td', {}, p.public_id),
      el('td', {}, String(p.amount)),
      el('td', { class: `status-${p.status}` }, say(`status_${p.status}`)),
    ),
  );
  recount(slot);
}

/**
 * Today's list as the server has it now (the page may have opened offline from the cache, or another counter or a
 * pass-down changed it): statuses follow, new pickups join their slot; one in a slot or campaign the page does not
 * show asks for a reload.
 */
async function refreshList() {
  const res = await fetch(siteApi('/pickups'), {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  });
  if (!res.ok) return;
  const { campaigns } = (await res.json()) as { campaigns: ListedCampaign[] };
  let unshown = false;
  for (const c of campaigns)
    for (const s of c.slots)
      for (const p of s.pickups) {
        if (rowOf(c.id, p.public_id)) markRow(c.id, p.public_id, p.status);
        else {
          const slot = slotOf(c, s);
          if (slot) addRow(slot, p);
          else unshown = true;
        }
      }
  $('list-changed').hidden = !unshown;
}

interface ListedSlot {
  id: string;
  starts_at: string | null;
  ends_at: string | null;
  pickups: ListedPickup[];
}

interface ListedCampaign {
  id: string;
  time_zone: string;
  slots: ListedSlot[];
}

/**
 * The slot's place on the page; one the page does not show yet (the "any time" of an award passed down with no slot
 * left ahead) is added after its campaign's others. Undefined when the page does not show the campaign at all.
 */
function slotOf(c: ListedCampaign, s: ListedSlot): HTMLElement | undefined {
  const ofCampaign = [...document.querySelectorAll<HTMLElement>('.pickup-slot')].filter(
    (d) => d.dataset.campaign === c.id,
  );
  const known = ofCampaign.find((d) => d.dataset.slot === s.id);
  if (known || ofCampaign.length === 0) return known;
  const title = s.starts_at
    ? `${fmt(s.starts_at, c.time_zone)}${s.ends_at ? ` ~ ${fmt(s.ends_at, c.time_zone).slice(11)}` : ''}`
    : say('any_time');
  const slot = el(
    'div',
    { class: 'pickup-slot', 'data-campaign': c.id, 'data-slot': s.id },
    el('h4', {}, title),
    el('p', { class: 'slot-counts' }),
  );
  ofCampaign.at(-1)!.after(slot);
  return slot;
}

// --- the camera ---
let stream: MediaStream | undefined;

type Detector = { detect(v: HTMLVideoElement): Promise<Array<{ rawValue: string }>> };
const BarcodeDetector = (window as unknown as { BarcodeDetector?: new (o: object) => Detector })
  .BarcodeDetector;

/** jsQR (static/counter-qr.js), imported the first time the camera opens in a browser without BarcodeDetector. */
const QR_READER = '/static/counter-qr.js';

/** A frame's QR text: the browser's BarcodeDetector where there is one, else jsQR on the frame's pixels. */
async function frameReader(): Promise<(video: HTMLVideoElement) => Promise<string>> {
  if (BarcodeDetector) {
    const detector = new BarcodeDetector({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video).catch(() => []))[0]?.rawValue ?? '';
  }
  const { decode } = (await import(QR_READER)) as { decode: Decode };
  const canvas = document.createElement('canvas');
  return async (video) => {
    if (video.videoWidth === 0) return '';
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const g = canvas.getContext('2d', { willReadFrequently: true })!;
    g.drawImage(video, 0, 0);
    return decode(g.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height) ?? '';
  };
}

async function scan() {
  const video = $<HTMLVideoElement>('scan-video');
  let read: (video: HTMLVideoElement) => Promise<string>;
  try {
    read = await frameReader();
  } catch {
    return message(say('scan_reader_failed'), 'error');
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  } catch {
    return message(say('scan_unsupported'), 'error');
  }
  $('scanner').hidden = false;
  video.srcObject = stream;
  await video.play();
  const tick = async () => {
    if (!stream) return;
    const text = await read(video);
    if (text) {
      stopScan();
      codeInput.value = text;
      await check(text);
    } else requestAnimationFrame(() => void tick());
  };
  void tick();
}

function stopScan() {
  for (const t of stream?.getTracks() ?? []) t.stop();
  stream = undefined;
  $('scanner').hidden = true;
}

// --- wiring ---
$('check-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const code = codeInput.value.trim();
  if (code) void check(code);
});
if (typeof navigator.mediaDevices?.getUserMedia === 'function') {
  const button = $('scan');
  button.hidden = false;
  button.addEventListener('click', () => void scan());
  $('scan-stop').addEventListener('click', stopScan);
}
window.addEventListener('online', () => {
  setNetwork(true);
  void sync();
});
window.addEventListener('offline', () => setNetwork(false));
setNetwork(navigator.onLine);
void showQueue().then(sync);
setInterval(() => void sync(), 15_000);
// Another counter's collections and awards passed down onto this site: looked for once a minute, and when staff come
// back to the page (a list look a minute at every open counter of a city, not one every sync).
setInterval(() => navigator.onLine && void refreshList().catch(() => {}), 60_000);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && navigator.onLine) void refreshList().catch(() => {});
});
if ('serviceWorker' in navigator)
  void navigator.serviceWorker.register('/counter-sw.js', { scope: '/counter' }).catch(() => {});
