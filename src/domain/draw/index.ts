// draw-v1 (docs/draw-v1.md), pure: no I/O, clock or randomness. This folder holds the rules as the spec
// states them: the shapes (types.ts), input checks (validate.ts), the seed (seed.ts) and referenceDraw
// (reference.ts), the whole procedure in one plain file. The service, the CLI and the browser verifier
// run the fast engine (engine/, one entry point), which is property-tested against referenceDraw.
export { compareUtf8, fromHex, isLowerHex, toHex, utf8 } from './bytes.js';
export * from './engine/index.js';
export { DrawInputError } from './errors.js';
export { hmacSha256, md5, sha256 } from './hash.js';
export { referenceDraw } from './reference.js';
export { rfc3797Key, rfc3797Select } from './rfc3797.js';
export { deriveSeed, SEED_TAG, seedCommitment } from './seed.js';
export * from './types.js';
export { validateEntry, validateRoster, validateRules } from './validate.js';
