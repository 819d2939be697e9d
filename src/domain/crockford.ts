// Crockford base32 (no I, L, O, U: nothing to misread when a code is read out or typed at a counter). Public
// ids, claim codes and voucher numbers are all written with it.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `chars` characters from the leading bits of `bytes` (big-endian; the bits past chars × 5 are dropped). */
export function crockfordBase32(bytes: Uint8Array, chars: number): string {
  const byteCount = Math.ceil((chars * 5) / 8);
  if (bytes.length < byteCount)
    throw new Error(`crockfordBase32 needs ${byteCount} bytes for ${chars} characters`);
  let n = 0n;
  for (let i = 0; i < byteCount; i++) n = (n << 8n) | BigInt(bytes[i]!);
  n >>= BigInt(byteCount * 8 - chars * 5);
  let out = '';
  for (let i = 0; i < chars; i++) {
    out = ALPHABET[Number(n & 31n)]! + out;
    n >>= 5n;
  }
  return out;
}
