// A throwaway embedded PostgreSQL goes with its process, also when that process dies of an uncaught error (no
// stop runs then): two were found running after a crashed simulation.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { waitUntilGone } from '../../src/db/postmaster.js';

test('a throwaway server stops when its process crashes', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-crash-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/embeddedCrash.ts', path.join(dir, 'data')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  t.not(code, 0, 'it crashed');
  t.regex(err, /crashed on purpose/);
  const pid = Number(out.trim());
  t.true(pid > 0, `the server's pid: ${out} ${err}`);
  t.true(await waitUntilGone(pid, 10_000), 'the server went with it');
});
