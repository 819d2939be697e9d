// Reads of many keys in one statement (`unnest(...) WITH ORDINALITY AS k(..., n)`) answer in rows that carry n:
// each key's answer is put back at its place, and a key no row came back for answers undefined.

/** The rows by their ordinal n (1-based), without it: the i-th key's row at i. */
export function byOrdinal<T extends object>(
  rows: ReadonlyArray<T & { n: number | string }>,
  keys: number,
): Array<T | undefined> {
  const answers = new Array<T | undefined>(keys).fill(undefined);
  for (const { n, ...row } of rows) answers[Number(n) - 1] = row as unknown as T;
  return answers;
}
