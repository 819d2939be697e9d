// DRAW-V1 section 6: the results list in rank order and its hash, from a sorted roster and a seed.
import type { Allocation } from './allocate.js';
import { allocate } from './allocate.js';
import { toHex, toHexRecords } from './bytes.js';
import { resultJson } from './encode.js';
import { sha256Incremental } from './hash.js';
import { computeTickets, rankOrder } from './order.js';
import type { Result, RosterEntry, Rules } from './types.js';

export function buildResults(
  rules: Rules,
  roster: readonly RosterEntry[],
  tickets: Uint8Array,
  order: ArrayLike<number>,
  alloc: Allocation,
): Result[] {
  const results = new Array<Result>(order.length);
  const hex = toHexRecords(tickets, 32);
  let waitlist = 0;
  for (let r = 0; r < order.length; r++) {
    const i = order[r]!;
    const amount = alloc.amount[i]!;
    const s = alloc.site[i]!;
    const site = s >= 0 ? rules.sites[s]! : undefined;
    results[r] = {
      rank: r + 1,
      public_id: roster[i]!.public_id,
      ticket: hex[i]!,
      outcome: amount > 0 ? 'won' : 'waitlisted',
      amount,
      site: site?.id ?? '',
      slot: site?.slots[alloc.slot[i]!]?.id ?? '',
      waitlist: amount > 0 ? 0 : ++waitlist,
    };
  }
  return results;
}

/** Tickets, order, allocation and results for a sorted, validated roster. */
export function computeResults(rules: Rules, roster: readonly RosterEntry[], seed: Uint8Array): Result[] {
  const tickets = computeTickets(seed, roster);
  const order = rankOrder(tickets);
  return buildResults(rules, roster, tickets, order, allocate(rules, roster, order));
}

/** hex(SHA-256(utf8(cjson(results)))), hashed in chunks so a million results never form one string. */
export function resultsHash(results: readonly Result[]): string {
  const h = sha256Incremental();
  const CHUNK = 4096;
  h.update('[');
  for (let start = 0; start < results.length; start += CHUNK) {
    const end = Math.min(results.length, start + CHUNK);
    let s = start === 0 ? '' : ',';
    for (let i = start; i < end; i++) s += (i === start ? '' : ',') + resultJson(results[i]!);
    h.update(s);
  }
  h.update(']');
  return toHex(h.digest());
}
