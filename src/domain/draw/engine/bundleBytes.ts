// The whole bundle as canonical JSON bytes, streamed to a sink 64 KiB at a time: the same bytes as
// bundleJson(runDraw(...)) (encode.ts), without the 1M Result objects, an object or string per entry or one string of
// the whole bundle (300 MB at a million entries, and a second copy as UTF-8 to write it).
import { canonicalJson } from '../../canonical.js';
import type { Bundle } from '../types.js';
import { EntryWriter } from './columnJson.js';
import type { RosterColumns } from './columns.js';
import type { DrawnColumns } from './draw.js';
import { writeResultsJson } from './jsonBytes.js';

const encoder = new TextEncoder();
const CHUNK = 1 << 16;

type Sink = (chunk: Uint8Array) => void;

/** utf8(bundleJson(bundle)) of the drawn columns, handed to `sink` in chunks it must copy or write at once. */
export function writeBundleJson(d: DrawnColumns, sink: Sink): void {
  writeBundleOf(
    d.bundleFields,
    d.columns,
    (to) => writeResultsJson({ ...d, roster: d.columns }, to),
    () => d.bundleFields.results_hash,
    sink,
  );
}

/**
 * writeBundleJson of the fields, the roster's columns, and the results, whose JSON `writeResults` writes
 * (in chunks), and their hash, which `resultsHash` is asked for only once they are written: so that a
 * caller may hash them as they go by (drawBundleJson) instead of writing them twice.
 */
export function writeBundleOf(
  f: Omit<Bundle, 'results' | 'results_hash' | 'roster'>,
  /** the roster's columns, or its array's cjson bytes already written (leafHashesWithJson) */
  roster: RosterColumns | Uint8Array,
  writeResults: (sink: Sink) => void,
  resultsHash: () => string,
  sink: Sink,
): void {
  const q = JSON.stringify;
  const strict = { strict: true };
  sink(encoder.encode(`{"beacon":${q(f.beacon)},"campaign":${canonicalJson(f.campaign, strict)},"results":`));
  writeResults(sink);
  sink(encoder.encode(`,"results_hash":${q(resultsHash())},"roster":`));
  if (roster instanceof Uint8Array) sink(roster);
  else writeRosterArray(roster, sink);
  sink(
    encoder.encode(
      [
        '',
        `"roster_root":${q(f.roster_root)}`,
        `"rules":${canonicalJson(f.rules, strict)}`,
        `"secret":${q(f.secret)}`,
        `"seed":${q(f.seed)}`,
        `"seed_commitment":${q(f.seed_commitment)}`,
        `"version":${q(f.version)}}`,
      ].join(','),
    ),
  );
}

/** The roster's array, `[` entries `,` `]`, written from its columns. */
function writeRosterArray(roster: RosterColumns, sink: Sink): void {
  const writer = new EntryWriter(roster);
  let chunk = new Uint8Array(CHUNK);
  chunk[0] = 0x5b; // [
  let pos = 1;
  for (let i = 0; i < roster.length; i++) {
    const room = writer.room(i) + 2;
    if (pos + room > chunk.length) {
      sink(chunk.subarray(0, pos));
      pos = 0;
      if (room > chunk.length) chunk = new Uint8Array(room);
    }
    if (i > 0) chunk[pos++] = 0x2c; // ,
    pos = writer.put(chunk, pos, i);
  }
  chunk[pos++] = 0x5d; // ]
  sink(chunk.subarray(0, pos));
}
