// The last seconds before an instant sale opens, each pass of the reconciler opens the pool's connections, so the
// opening's rush does not wait for PostgreSQL to start backends: in the simulator's opening one took 0.5-0.7 s on a
// busy machine, and buys, looks and joins waited up to a second behind them.
import test from 'ava';
import { instantWorld, scheduledSale, strictPass } from '../helpers/instant.js';

test('the passes of the last seconds before an opening open the connections; a sale further off opens none', async (t) => {
  const { app, ctx } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 10 }); // opens in ten minutes
  const backends = async () =>
    Number(
      (await app.db.raw('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()'))
        .rows[0].n,
    );
  const warm = { ...ctx, openingConnections: 8 };
  await strictPass(warm);
  const far = await backends();
  t.true(far < 8, `${far} backends ten minutes before the opening`);
  await app.db.raw(`UPDATE campaigns SET opens_at = now() + interval '5 seconds' WHERE id = ?`, [c.id]);
  await strictPass(warm);
  let near = await backends();
  // a connection still being made when the pass ends joins the pool a moment later
  for (let i = 0; i < 40 && near < 8; i++) {
    await new Promise((r) => setTimeout(r, 50));
    near = await backends();
  }
  t.true(near >= 8, `${near} backends five seconds before the opening`);
  t.is((await app.db('campaigns').where({ id: c.id }).first()).state, 'scheduled', 'nothing else moved');
});
