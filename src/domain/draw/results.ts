// DRAW-V1 section 6: the results list in rank order and its hash, from a sorted roster and a seed.
import type { Allocation } from './allocate.js';
import { allocate } from './allocate.js';
import { toHex, toHexRecords } from './bytes.js';
import { resultJson } from './encode.js';
import { sha256Incremental } from './hash.js';
import { putResult, resultChars, roomFor } from './jsonBytes.js';
import { computeTickets, rankOrder } from './order.js';
import type { Result, RosterEntry, Rules } from './types.js';

/**
 * Calls visit with each result in rank order. The object passed is reused from call to call (verify
 * compares 1,000,000 results without keeping them: 1M objects fewer to allocate and collect).
 */
export function eachResult(
  rules: Rules,
  roster: readonly RosterEntry[],
  tickets: Uint8Array,
  order: ArrayLike<number>,
  alloc: Allocation,
  visit: (r: Result) => void,
): void {
  const r: Result = {
    rank: 0,
    public_id: '',
    ticket: '',
    outcome: 'waitlisted',
    amount: 0,
    site: '',
    slot: '',
    waitlist: 0,
  };
  // Ticket hex is made per chunk of ranks, not as one 64 MB string for 1M tickets: that string landed in
  // old space and brought a mark-compact forward (1.2-1.6 s each under load, --trace-gc).
  const CHUNK = 4096;
  const ranked = new Uint8Array(32 * CHUNK);
  let waitlist = 0;
  for (let start = 0; start < order.length; start += CHUNK) {
    const end = Math.min(order.length, start + CHUNK);
    for (let k = start; k < end; k++) {
      const from = 32 * order[k]!;
      for (let b = 0; b < 32; b++) ranked[32 * (k - start) + b] = tickets[from + b]!;
    }
    const hex = toHexRecords(ranked.subarray(0, 32 * (end - start)), 32);
    for (let k = start; k < end; k++) {
      const i = order[k]!;
      const amount = alloc.amount[i]!;
      const s = alloc.site[i]!;
      const site = s >= 0 ? rules.sites[s]! : undefined;
      r.rank = k + 1;
      r.public_id = roster[i]!.public_id;
      r.ticket = hex[k - start]!;
      r.outcome = amount > 0 ? 'won' : 'waitlisted';
      r.amount = amount;
      r.site = site?.id ?? '';
      r.slot = site?.slots[alloc.slot[i]!]?.id ?? '';
      r.waitlist = amount > 0 ? 0 : ++waitlist;
      visit(r);
    }
  }
}

/** The results list of section 6, in rank order. */
export function buildResults(
  rules: Rules,
  roster: readonly RosterEntry[],
  tickets: Uint8Array,
  order: ArrayLike<number>,
  alloc: Allocation,
): Result[] {
  const results = new Array<Result>(order.length);
  let k = 0;
  eachResult(rules, roster, tickets, order, alloc, (r) => {
    results[k++] = { ...r };
  });
  return results;
}

/** Tickets, order, allocation and results for a sorted, validated roster. */
export function computeResults(rules: Rules, roster: readonly RosterEntry[], seed: Uint8Array): Result[] {
  const tickets = computeTickets(seed, roster);
  const order = rankOrder(tickets);
  return buildResults(rules, roster, tickets, order, allocate(rules, roster, order));
}

/**
 * hex(SHA-256(utf8(cjson(results)))), streamed: results are written as bytes into one reused 64 KiB chunk
 * (jsonBytes.ts) that goes to the incremental hash when full, so no string of the whole list is ever built.
 * Measured, 1,000,000 results: 1.4-1.6 s CPU, where per-chunk strings of resultJson took 2.7-3.1 s.
 */
export function resultsHash(results: readonly Result[]): string {
  const h = sha256Incremental();
  const chunk = new Uint8Array(1 << 16);
  let pos = 0;
  chunk[pos++] = 0x5b; // [
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    const room = 2 + roomFor(resultChars(r));
    if (pos + room > chunk.length) {
      h.update(chunk.subarray(0, pos));
      pos = 0;
    }
    if (i > 0) chunk[pos++] = 0x2c; // ,
    const end = room <= chunk.length ? putResult(chunk, pos, r) : -1;
    if (end >= 0) {
      pos = end;
    } else {
      h.update(chunk.subarray(0, pos));
      h.update(resultJson(r));
      pos = 0;
    }
  }
  chunk[pos++] = 0x5d; // ]
  h.update(chunk.subarray(0, pos));
  return toHex(h.digest());
}
