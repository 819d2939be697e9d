// fileWriter (npm run draw's bundle file): every byte in order, through many recycled buffers, and a
// write error reported rather than lost in the worker.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { fileWriter } from '../../scripts/fileWriter.js';
import { tempDirs } from '../helpers/tempDirs.js';

const tmp = tempDirs('file-writer-');

test('bytes written in chunks of any size come out in order, across many 4 MiB buffers', async (t) => {
  const path = join(tmp(), 'out.bin');
  const expected = new Uint8Array(45 * 2 ** 20 + 3).map((_, i) => (i * 7 + (i >>> 12)) & 0xff);
  const out = fileWriter(path);
  const chunk = new Uint8Array(5 * 2 ** 20); // reused: the writer must copy before write returns
  for (let at = 0, size = 1; at < expected.length; at += size, size = (size * 3 + 7) % chunk.length) {
    const n = Math.min(size, expected.length - at);
    chunk.set(expected.subarray(at, at + n));
    out.write(chunk.subarray(0, n));
    chunk.fill(0);
  }
  await out.close();
  t.true(readFileSync(path).equals(expected));
});

test('an empty file is created at close; a file that cannot be written rejects', async (t) => {
  const dir = tmp();
  const empty = fileWriter(join(dir, 'empty'));
  await empty.close();
  t.is(readFileSync(join(dir, 'empty')).length, 0);
  const nowhere = fileWriter(join(dir, 'no-such-dir', 'out.bin'));
  nowhere.write(new Uint8Array(10));
  await t.throwsAsync(() => nowhere.close(), { message: /cannot write .*no-such-dir.*ENOENT/ });
});
