// A throwaway embedded PostgreSQL goes with its process, also when that process dies of an uncaught error (no
// stop runs then): two were found running after a crashed simulation.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { waitUntilGone } from '../../src/db/postmaster.js';
import { entryArgs } from '../helpers/runScript.js';

const run = promisify(execFile);

test('a throwaway server stops when its process crashes', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-crash-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const crashed: { code?: number; stdout: string; stderr: string } = await run(process.execPath, [
    ...entryArgs('test/helpers/embeddedCrash.ts'),
    path.join(dir, 'data'),
  ]).then(
    (done) => ({ code: 0, ...done }),
    (err) => err,
  );
  t.not(crashed.code, 0, 'it crashed');
  t.regex(crashed.stderr, /crashed on purpose/);
  const pid = Number(crashed.stdout.trim());
  t.true(pid > 0, `the server's pid: ${crashed.stdout} ${crashed.stderr}`);
  t.true(await waitUntilGone(pid, 10_000), 'the server went with it');
});
