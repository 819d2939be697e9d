// Group commit at the counter: presses that arrive together go as one statement and one commit, and each
// press still gets its own answer (its collection, or nothing for the long way to explain); two presses of
// one award in one statement collect it once. Through HTTP, a burst of presses over a few awards answers
// exactly one 201 per award, records each once and moves the counts by what was collected.
import test from 'ava';
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

test.serial(
  'one statement for many presses: each its own answer, a doubled award collected once',
  async (t) => {
    const sc = await counterScenario(app);
    const [site0, site1] = sc.s.siteIds as [string, string];
    const [a, b] = sc.winnersAt(site0).filter((w) => w.slot.endsWith('-S1'));
    const c = sc.winnersAt(site1).find((w) => w.slot.endsWith('-S1'))!;
    const now = at(61);
    const press = (claim: ClearPress['claim'], site: string, found_by: 'code' | 'token'): ClearPress => ({
      claim,
      mark: { site, by: 'staff:test', at: now, via: 'counter' },
      record: { actor: 'staff:test', found_by, recorded_at: now },
    });
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
