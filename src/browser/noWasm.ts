// The browser's stand-in for src/domain/draw/engine/sha256Wasm.ts (swapped in by scripts/build-verify.ts):
// the audit page's CSP forbids compiling WebAssembly, so the engine's batches run on the JS SHA-256.
export function loadWasmSha256(): undefined {
  return undefined;
}
