// People applying at the same moment are written together (one statement, one commit), and each still gets the
// answer they would get alone: their own receipt and notice, a duplicate for the one who applied already or
// twice at once, and a fresh public id when a drawn one collides (the batch fails whole and each goes alone).
import test from 'ava';
import { cryptoRandom, type RandomSource } from '../../src/crypto/random.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { openVoucherCampaign, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';

const publicIdDraws: Buffer[] = [];
const random: RandomSource = {
  bytes: (n) => (n === 6 && publicIdDraws.length > 0 ? publicIdDraws.shift()! : cryptoRandom.bytes(n)),
};

let app: TestApp;
test.before(async () => {
  // one statement at the database at a time: whoever arrives meanwhile waits and goes in the next batch
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS, random, applicationLanes: 1 } });
});
test.after.always(async () => {
  await app?.close();
});

type Resident = Awaited<ReturnType<typeof verifyResident>>;
const apply = (id: string, r: Resident, json: Record<string, unknown> = { amount: 100_000 }) =>
  app.request('POST', `/api/campaigns/${id}/application`, { headers: r.headers, json });

async function residents(n: number): Promise<Resident[]> {
  const out: Resident[] = [];
  for (let i = 0; i < n; i++) out.push(await verifyResident(app));
  return out;
}

test.serial(
  'a burst is written in shared statements, each person with their own receipt and notice',
  async (t) => {
    const c = await openVoucherCampaign(app, { eligibility: { regions: ['중구', '동구'] } });
    const people = await residents(12);
    const already = people[0]!;
    const first = await apply(c.id, already, { amount: 100_000, region: '중구' });
    t.is(first.status, 201, first.text);
    const twice = people[1]!;
    const replies = await Promise.all([
      ...people.map((p, i) => apply(c.id, p, { amount: 10_000 * (i + 1), region: i % 2 ? '동구' : '중구' })),
      apply(c.id, twice, { amount: 50_000, region: '동구' }),
    ]);
    t.is(replies[0]!.status, 409, replies[0]!.text);
    t.is(replies[0]!.json.error.code, 'duplicate_application');
    t.is(replies[0]!.json.error.details.receipt.public_id, first.json.receipt.public_id);
    const mine = [replies[1]!, replies[12]!];
    t.deepEqual(mine.map((x) => x.status).sort(), [201, 409], mine.map((x) => x.text).join('\n'));
    t.is(mine.find((x) => x.status === 409)!.json.error.code, 'duplicate_application');
    for (const [i, res] of replies.slice(2, 12).entries()) {
      t.is(res.status, 201, res.text);
      t.is(res.json.receipt.amount, 10_000 * (i + 3));
    }

    const rows = await app
      .db('applications as a')
      .join('identities as i', 'i.id', 'a.identity_id')
      .where({ 'a.campaign_id': c.id })
      .select('a.public_id', 'a.request', 'a.region', 'a.created_at', 'i.region as identity_region');
    t.is(rows.length, 12);
    const created = replies.filter((x) => x.status === 201).map((x) => x.json.receipt);
    for (const receipt of created) {
      const row = rows.find((x) => x.public_id === receipt.public_id);
      t.is(Number(row?.request), receipt.amount);
      t.is(row?.region, row?.identity_region);
    }
    // rows of one statement share its timestamp: some of the burst went together
    t.true(new Set(rows.map((x) => x.created_at.getTime())).size < rows.length);
    const notices = await app.db('messages').where({ kind: 'receipt', campaign_id: c.id }).select('body');
    t.is(notices.length, 12);
    for (const receipt of created)
      t.is(notices.filter((m) => String(m.body).includes(receipt.public_id)).length, 1, receipt.public_id);
  },
);

test.serial(
  'a public id drawn twice in one burst: the batch goes again one by one, and both get their own',
  async (t) => {
    const c = await openVoucherCampaign(app);
    const people = await residents(6);
    const same = Buffer.from('0123456789ab', 'hex');
    publicIdDraws.push(same, Buffer.from(same));
    const replies = await Promise.all(people.map((p) => apply(c.id, p)));
    for (const res of replies) t.is(res.status, 201, res.text);
    t.is(new Set(replies.map((x) => x.json.receipt.public_id)).size, 6);
    t.is(publicIdDraws.length, 0);
    t.is(Number((await app.db('applications').where({ campaign_id: c.id }).count('* as n'))[0]!.n), 6);
  },
);

test.serial('the window closing between the cache and the batch refuses every one of it', async (t) => {
  const c = await openVoucherCampaign(app);
  const people = await residents(4);
  const ok = await apply(c.id, people[0]!);
  t.is(ok.status, 201, ok.text);
  await app.db.raw("UPDATE campaigns SET closes_at = now() - interval '1 second' WHERE id = ?", [c.id]);
  const replies = await Promise.all(people.slice(1).map((p) => apply(c.id, p)));
  for (const res of replies) t.is(res.json.error?.code, 'campaign_closed', res.text);
  t.is(Number((await app.db('applications').where({ campaign_id: c.id }).count('* as n'))[0]!.n), 1);
});
