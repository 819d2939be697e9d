// The reference draw: docs/draw-v1.md written out step by step, for reading and as the oracle the fast
// engine (engine/) is property-tested against. No speed tricks: objects, arrays, canonicalJson, one hash
// call per value. Fine for thousands of entries; the service and the CLI run the engine.
// What it shares with engine/draw.ts (the bundle's fields, the steps' order) is written again on purpose: an
// oracle that imported the engine's code would agree with the engine's mistakes. Do not merge the two.
import { canonicalJson } from '../canonical.js';
import { compareBytes, toHex, utf8 } from './bytes.js';
import { hmacSha256, sha256 } from './hash.js';
import { deriveSeed, seedCommitment } from './seed.js';
import {
  type Bundle,
  type Campaign,
  DRAW_VERSION,
  type Result,
  type RosterEntry,
  type Rules,
} from './types.js';
import { validateDrawParties, validateRoster, validateRules } from './validate.js';

export interface ReferenceInput {
  campaign: Campaign;
  rules: unknown;
  /** Entries in any order. */
  roster: unknown;
  /** The operator's 32 secret bytes. */
  secret: Uint8Array;
  beacon: string;
}

const cjson = (v: unknown) => canonicalJson(v, { strict: true });
const byUtf8 = (a: string, b: string) => compareBytes(utf8(a), utf8(b));

/** §2: leaf i = SHA-256(0x00 || utf8(cjson(entry_i))). */
function leafHash(entry: RosterEntry): Uint8Array {
  const json = utf8(cjson(entry));
  const msg = new Uint8Array(1 + json.length);
  msg.set(json, 1);
  return sha256(msg);
}

/** §2: RFC 6962 MTH over leaves[from, to); k is the largest power of two smaller than n. */
function treeHash(leaves: Uint8Array[], from: number, to: number): Uint8Array {
  const n = to - from;
  if (n === 0) return sha256(new Uint8Array(0));
  if (n === 1) return leaves[from]!;
  let k = 1;
  while (k * 2 < n) k *= 2;
  const msg = new Uint8Array(65);
  msg[0] = 0x01;
  msg.set(treeHash(leaves, from, from + k), 1);
  msg.set(treeHash(leaves, from + k, to), 33);
  return sha256(msg);
}

/** §4: the smallest HMAC-SHA256(seed, utf8(public_id + ":" + k)) over k = 1 .. weight. */
function ticketOf(seed: Uint8Array, entry: RosterEntry): Uint8Array {
  let best: Uint8Array | undefined;
  for (let k = 1; k <= entry.weight; k++) {
    const t = hmacSha256(seed, utf8(`${entry.public_id}:${k}`));
    if (best === undefined || compareBytes(t, best) < 0) best = t;
  }
  return best!;
}

interface Ranked {
  entry: RosterEntry;
  ticket: Uint8Array;
  amount: number;
  site: string;
  slot: string;
}

/** §5: both passes over the ranked entries, filling in amount, site and slot. */
function allocate(rules: Rules, ranked: Ranked[]): void {
  let remainingTotal = rules.total;
  const left = new Map(rules.sites.map((s) => [s.id, s.slots.map((t) => ({ id: t.id, left: t.capacity }))]));

  const grant = (r: Ranked, cap: number): number => {
    let want = Math.min(r.entry.request, rules.per_person_max);
    want -= want % rules.denomination;
    const room = Math.min(cap, remainingTotal);
    let amount = 0;
    if (want <= room) amount = want;
    else if (rules.partial === 'partial') amount = Math.floor(room / rules.denomination) * rules.denomination;
    if (amount === 0) return 0;
    if (rules.sites.length > 0) {
      let chosen: { siteId: string; slot: { id: string; left: number } } | undefined;
      for (const siteId of r.entry.preferences) {
        const slot = left.get(siteId)?.find((s) => s.left >= amount);
        if (slot) {
          chosen = { siteId, slot };
          break;
        }
      }
      if (!chosen) return 0;
      chosen.slot.left -= amount;
      r.site = chosen.siteId;
      r.slot = chosen.slot.id;
    }
    remainingTotal -= amount;
    r.amount = amount;
    return amount;
  };

  for (const group of rules.groups) {
    let reservedLeft = group.reserved;
    for (const r of ranked) {
      if (reservedLeft === 0) break;
      if (r.entry.group === group.name && r.amount === 0) reservedLeft -= grant(r, reservedLeft);
    }
  }
  for (const r of ranked) if (r.amount === 0) grant(r, Number.POSITIVE_INFINITY);
}

/** The whole draw-v1 procedure, §1 to §6, from its inputs to the audit bundle. */
export function referenceDraw(input: ReferenceInput): Bundle {
  const { campaign, secret, beacon } = validateDrawParties(input);
  const rules = validateRules(input.rules, '$.rules');
  // §2: sorted by utf8(public_id); validateRoster rejects a duplicate public id.
  const roster = validateRoster(input.roster, rules, { path: '$.roster' }).sort((a, b) =>
    byUtf8(a.public_id, b.public_id),
  );
  const root = treeHash(roster.map(leafHash), 0, roster.length);
  const seed = deriveSeed(secret, beacon, root); // §3
  // §4: by ticket ascending, ties by utf8(public_id)
  const ranked: Ranked[] = roster
    .map((entry) => ({ entry, ticket: ticketOf(seed, entry), amount: 0, site: '', slot: '' }))
    .sort((a, b) => compareBytes(a.ticket, b.ticket) || byUtf8(a.entry.public_id, b.entry.public_id));
  allocate(rules, ranked);
  // §6
  let waitlist = 0;
  const results: Result[] = ranked.map((r, i) => ({
    rank: i + 1,
    public_id: r.entry.public_id,
    ticket: toHex(r.ticket),
    outcome: r.amount > 0 ? 'won' : 'waitlisted',
    amount: r.amount,
    site: r.site,
    slot: r.slot,
    waitlist: r.amount > 0 ? 0 : ++waitlist,
  }));
  return {
    version: DRAW_VERSION,
    campaign,
    rules,
    roster,
    roster_root: toHex(root),
    seed_commitment: seedCommitment(secret),
    secret: toHex(secret),
    beacon,
    seed: toHex(seed),
    results,
    results_hash: toHex(sha256(utf8(cjson(results)))),
  };
}
