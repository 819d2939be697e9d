// A process that starts a throwaway embedded PostgreSQL, says the server's pid, and dies of an uncaught error (as
// a crashed simulation or benchmark does): embeddedCrash.test.ts checks the server does not outlive it.
//   node --import tsx test/helpers/embeddedCrash.ts <data dir>
import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';

const dataDir = process.argv[2]!;
await startEmbeddedPostgres({ dataDir, persistent: false });
const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
process.stdout.write(`${pid}\n`);
throw new Error('crashed on purpose');
