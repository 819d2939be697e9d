// Group commit at the counter: presses that arrive together go as one statement and one commit, and each
// press still gets its own answer (its collection, or nothing for the long way to explain); two presses of
// one award in one statement collect it once. Through HTTP, a burst of presses over a few awards answers
// exactly one 201 per award, records each once and moves the counts by what was collected. An award whose row
// another transaction holds is skipped, not waited for: the rest of its batch commits at once, and batches
// holding each other's doubled awards do not deadlock.
import test from 'ava';
import pg from 'pg';
import { claimCodeDigest } from '../../src/commands/claimCodes.js';
import { type ClearPress, collectManyIfClear } from '../../src/db/repos/counterCollections.js';
import { at } from '../draw/_scenario.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { counterScenario } from './_setup.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

const collectedCount = async (campaignId: string) =>
  Number(
    (
      await app.db.raw(`SELECT coalesce(sum(collected), 0) AS n FROM stock_counts WHERE campaign_id = ?`, [
        campaignId,
      ])
    ).rows[0].n,
  );

const press = (claim: ClearPress['claim'], site: string, found_by: 'code' | 'token'): ClearPress => ({
  claim,
  mark: { site, by: 'staff:test', at: at(61), via: 'counter' },
  record: { actor: 'staff:test', found_by, recorded_at: at(61) },
});

test.serial(
  'one statement for many presses: each its own answer, a doubled award collected once',
  async (t) => {
    const sc = await counterScenario(app);
    const [site0, site1] = sc.s.siteIds as [string, string];
    const [a, b] = sc.winnersAt(site0).filter((w) => w.slot.endsWith('-S1'));
    const c = sc.winnersAt(site1).find((w) => w.slot.endsWith('-S1'))!;
    const digest = async (publicId: string) => claimCodeDigest(TEST_SECRETS, await sc.codeOf(publicId));
    const before = await collectedCount(sc.s.campaignId);
    const answers = await collectManyIfClear(
      app.db,
      [
        press({ digest: await digest(a!.public_id) }, site0, 'code'),
        press({ campaign_id: sc.s.campaignId, public_id: a!.public_id }, site0, 'token'), // A again
        press({ digest: await digest(b!.public_id) }, site0, 'code'),
        press({ digest: await digest(c.public_id) }, site0, 'code'), // held at the other site
        press({ digest: Buffer.alloc(32, 9) }, site0, 'code'), // no such code
        press({ digest: await digest(c.public_id) }, site1, 'code'),
      ],
      2000,
    );
    t.is(answers.length, 6);
    const aAnswers = answers.slice(0, 2).filter(Boolean);
    t.is(aAnswers.length, 1, 'A collected for exactly one of its two presses');
    t.is(aAnswers[0]!.public_id, a!.public_id);
    t.is(answers[2]?.public_id, b!.public_id);
    t.is(answers[3], undefined, 'the wrong site is left to the long way');
    t.is(answers[4], undefined);
    t.is(answers[5]?.public_id, c.public_id);
    t.is(answers[5]?.collected_site, site1);
    const recorded = await app.db('counter_collections').where({ campaign_id: sc.s.campaignId });
    t.deepEqual(recorded.map((r) => r.public_id).sort(), [a!.public_id, b!.public_id, c.public_id].sort());
    const amounts = Number(a!.amount) + Number(b!.amount) + Number(c.amount);
    t.is(await collectedCount(sc.s.campaignId), before + amounts, 'the stock moved once per collection');
  },
);

test.serial(
  'a burst of presses through HTTP: one 201 per award, the rest told it was collected',
  async (t) => {
    const sc = await counterScenario(app, { applicants: 80 });
    app.clock.set(at(63)); // both slots open
    const staff = await sc.signIn();
    const winners = sc.s.siteIds.flatMap((site, i) =>
      sc
        .winnersAt(site)
        .slice(0, 4)
        .map((w) => ({ ...w, site, as: staff[i] })),
    );
    t.true(winners.length >= 4, `${winners.length} winners`);
    const before = await collectedCount(sc.s.campaignId);
    const presses = await Promise.all(
      winners.flatMap((w) =>
        [0, 1, 2].map(async (i) => {
          const code = i === 1 ? await sc.tokenOf(w.public_id) : await sc.codeOf(w.public_id);
          const res = await app.request('POST', `/api/sites/${w.site}/collections`, {
            as: w.as,
            json: { code },
          });
          return { id: w.public_id, status: res.status, code: res.json?.error?.code as string | undefined };
        }),
      ),
    );
    for (const w of winners) {
      const mine = presses.filter((p) => p.id === w.public_id);
      t.deepEqual(mine.map((p) => p.status).sort(), [201, 409, 409], w.public_id);
      t.true(mine.filter((p) => p.status === 409).every((p) => p.code === 'already_collected'));
    }
    const recorded = await app.db('counter_collections').where({ campaign_id: sc.s.campaignId });
    t.is(recorded.length, winners.length, 'each recorded once');
    t.is(await collectedCount(sc.s.campaignId), before + winners.reduce((n, w) => n + Number(w.amount), 0));
  },
);

test.serial(
  'an award held elsewhere is skipped: the batch commits at once, its press goes the long way',
  async (t) => {
    const sc = await counterScenario(app);
    const site0 = sc.s.siteIds[0]!;
    const [held, free] = sc.winnersAt(site0).filter((w) => w.slot.endsWith('-S1')) as [
      (typeof sc.awards)[number],
      (typeof sc.awards)[number],
    ];
    const holder = new pg.Client({ connectionString: app.database.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM awards WHERE campaign_id = $1 AND public_id = $2 FOR UPDATE', [
      sc.s.campaignId,
      held.public_id,
    ]);
    const token = (id: string) => press({ campaign_id: sc.s.campaignId, public_id: id }, site0, 'token');
    const started = performance.now();
    const answers = await collectManyIfClear(app.db, [token(held.public_id), token(free.public_id)], 5000);
    const ms = performance.now() - started;
    t.true(ms < 2500, `answered after ${ms} ms, not after the lock timeout`);
    t.is(answers[0], undefined, 'the held award is left to the long way');
    t.is(answers[1]?.public_id, free.public_id);
    // the long way waits for that one row: once the holder lets go, the press collects it
    app.clock.set(at(61));
    const [staff0] = await sc.signIn();
    const pressed = app.request('POST', `/api/sites/${site0}/collections`, {
      as: staff0,
      json: { code: await sc.codeOf(held.public_id) },
    });
    await new Promise((r) => setTimeout(r, 300));
    await holder.query('ROLLBACK');
    await holder.end();
    const res = await pressed;
    t.is(res.status, 201, res.text);
  },
);

test.serial(
  "two batches holding each other's doubled awards: no deadlock, each collected once",
  async (t) => {
    // Races the two batches pair by pair: it does not force the interleaving that deadlocked, it checks that
    // whichever happens, nothing throws and each award is collected by exactly one of the two.
    const sc = await counterScenario(app, { applicants: 80 });
    const token = (id: string, site: string) =>
      press({ campaign_id: sc.s.campaignId, public_id: id }, site, 'token');
    const pairs = sc.s.siteIds.flatMap((site) => {
      const ids = sc
        .winnersAt(site)
        .filter((w) => w.slot.endsWith('-S1'))
        .map((w) => w.public_id);
      return ids.flatMap((x, i) => (i % 2 === 0 && ids[i + 1] ? [{ site, x, y: ids[i + 1]! }] : []));
    });
    t.true(pairs.length >= 2, `${pairs.length} pairs`);
    for (const { site, x, y } of pairs) {
      const [one, two] = await Promise.all([
        collectManyIfClear(app.db, [token(x, site), token(y, site)], 5000),
        collectManyIfClear(app.db, [token(y, site), token(x, site)], 5000),
      ]);
      t.is([one[0], two[1]].filter(Boolean).length, 1, `${x} collected once`);
      t.is([one[1], two[0]].filter(Boolean).length, 1, `${y} collected once`);
    }
    const recorded = await app.db('counter_collections').where({ campaign_id: sc.s.campaignId });
    t.is(recorded.length, pairs.length * 2);
  },
);
