// The fast draw-v1 engine: the one entry point to everything in this folder. It computes exactly what
// ../reference.ts computes (test/domain/draw/engine.test.ts checks that with fast-check), with the speed
// machinery a million-entry draw needs: the roster as typed-array columns (columns.ts: every pass after
// validation reads them, not an object per entry), byte writers instead of JSON.stringify, batched hashing
// (a WebAssembly SHA-256, checked at load, JS otherwise) and index sorts.
// - runDraw(input) -> Bundle and verifyBundle(bundle) -> Verdict.
// - drawColumns(input): runDraw without the 1M Result objects (results as columns, a ResultWalker to write
//   them out, bundle fields and hash); the service persists from it. runDraw = drawColumns + results().
// - runDrawPhases / verifyBundlePhases: the same, calling mark(phase) after each phase (the benchmark's
//   clock); results are byte-identical.
// - drawBundleJson(input, mark, sink): the draw with its bundle streamed to sink, the results hashed as
//   they are written (npm run draw); the same bytes as writeBundleJson(drawColumns(input), sink). Given a
//   RosterFile (readRosterFile: the file's bytes read into columns), it makes no object per entry at all.
// - RosterBuilder: a roster pushed in as bytes and numbers (the service's stored rows) into columns, checked,
//   finish() -> RosterFile: drawColumns and leafHashesOf take it without an object per entry.
// Fast path for a service: pass the roster already sorted by utf8(public_id) (e.g. ORDER BY public_id
// COLLATE "C") and as plain objects of exactly the five fields with printable-ASCII strings: then
// validation copies nothing and sortRoster only checks the order.
export { type Allocation, allocate } from './allocate.js';
export { writeBundleJson } from './bundleBytes.js';
export { firstUnsortedColumn, type RosterColumns } from './columns.js';
export {
  type DrawInput,
  type DrawnBundle,
  type DrawnColumns,
  drawBundleJson,
  drawColumns,
  drawColumnsPhases,
  type PhaseMark,
  runDraw,
  runDrawPhases,
} from './draw.js';
export { bundleJson, entryJson, resultJson } from './encode.js';
export {
  leafHash,
  leafHashes,
  leafHashesOf,
  MerkleTree,
  merkleRoot,
  rosterRoot,
  verifyInclusion,
} from './merkle.js';
export { computeTickets, rankOrder } from './order.js';
export { makeReceipt, type Receipt } from './receipt.js';
export { buildResults, computeResults, ResultWalker, resultsHash, resultsHashOf } from './results.js';
export { comparePublicIds, firstUnsorted, sortRoster } from './roster.js';
export { RosterBuilder } from './rosterBuilder.js';
export { RosterFile, readRosterFile } from './rosterInput.js';
export { readRosterJson } from './rosterJson.js';
export {
  type BundleCheck,
  type Difference,
  describeDifference,
  type Verdict,
  verifiesWithRawResults,
  verifyBundle,
  verifyBundlePhases,
  verifyReceipt,
} from './verify.js';
