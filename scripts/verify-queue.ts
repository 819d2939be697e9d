// Recomputes an instant sale's pre-queue shuffle from its published audit document. No database, no network.
//   curl -s http://127.0.0.1:3000/api/campaigns/<id>/queue/audit > queue.json
//   npm run verify-queue -- queue.json   -> "match" (exit 0) or each problem (exit 1)
import { readFileSync } from 'node:fs';
import { type QueueAudit, verifyQueueAudit } from '../src/domain/instant/waitingRoom.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run verify-queue -- queue.json');
  process.exit(2);
}
let doc: QueueAudit;
try {
  const parsed = JSON.parse(readFileSync(file, 'utf8'));
  doc = (parsed.audit ?? parsed) as QueueAudit;
  if (!doc.secret || !Array.isArray(doc.entries))
    throw new Error('no secret or entries: is the sale open yet?');
} catch (e) {
  console.error(`verify-queue: cannot read ${file}: ${(e as Error).message}`);
  process.exit(2);
}
const problems = verifyQueueAudit(doc);
if (problems.length === 0) {
  console.log(
    `match: ${doc.entries.filter((e) => e.pre_queue).length} pre-queue places in the published order`,
  );
  process.exit(0);
}
for (const p of problems.slice(0, 50)) console.log(`mismatch: ${p}`);
process.exit(1);
