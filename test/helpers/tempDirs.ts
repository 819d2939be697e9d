// Scratch folders for tests that write files (bundles, CLI outputs), removed when the file's tests end: a test run
// left one 46 MB draw-bundle file behind in the machine's temp folder each time, and a folder for every CLI test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';

/** A maker of fresh folders named `prefix`…; every one it made is removed after the calling file's tests. */
export function tempDirs(prefix: string): () => string {
  const made: string[] = [];
  test.after.always(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
