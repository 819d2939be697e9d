// A separate process that runs one campaign's draw and stops just before the commit, so a test can kill it there.
//   node --import tsx test/helpers/drawChild.ts <database url> <campaign id>

import { drawCampaign } from '../../src/commands/drawCampaign.js';
import { createDb } from '../../src/db/knex.js';
import { SteppedClock } from './clock.js';
import { drawContext } from './draw.js';

const [url, campaignId, at] = process.argv.slice(2);
const db = createDb(url!, 2);
await drawCampaign(drawContext(db, new SteppedClock(at!)), campaignId!, {
  beforeCommit: async () => {
    process.stdout.write('persisted\n');
    await new Promise(() => {}); // hold the open transaction until killed
  },
});
