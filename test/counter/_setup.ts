// A drawn goods lottery with its results sent (claim codes indexed), site staff at each of its two pharmacies,
// and each award's typed code and signed QR token.
import { claimKeyOf } from '../../src/commands/awardNotices.js';
import { claimCodeFor } from '../../src/commands/claimCodes.js';
import { claimQrPayload } from '../../src/commands/claimQr.js';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import { findCampaign } from '../../src/db/repos/campaigns.js';
import { findCounterAward } from '../../src/db/repos/counterAwards.js';
import { appIdOf, awardsOf, drawnLottery } from '../draw/_scenario.js';
import type { TestApp } from '../helpers/app.js';

export async function counterScenario(app: TestApp, o: { applicants?: number } = {}) {
  const drawn = await drawnLottery(app, { applicants: o.applicants ?? 40 });
  const { s, env } = drawn;
  // Declared birth dates, the fact the counter compares with an ID card.
  await app.db.raw(
    `UPDATE identities SET birth_date = '1980-05-05', birth_year = 1980
      WHERE id IN (SELECT identity_id FROM applications WHERE campaign_id = ?)`,
    [s.campaignId],
  );
  await fanOutResults(env, s.campaignId);
  const key = await claimKeyOf(app.db, env, s.campaignId);
  const codeOf = async (publicId: string) => claimCodeFor(key, await appIdOf(app.db, s.campaignId, publicId));
  const campaign = (await findCampaign(app.db, s.campaignId))!;
  const tokenOf = async (publicId: string) =>
    (await claimQrPayload(env, campaign, (await findCounterAward(app.db, s.campaignId, publicId))!))!;
  const awards = await awardsOf(app.db, s.campaignId);
  const winnersAt = (site: string) => awards.filter((a) => a.outcome === 'won' && a.site === site);
  /** Site staff of each pharmacy, signed in now (sessions last 8 hours of the test clock). */
  const signIn = () => Promise.all(s.siteIds.map((site_id) => app.staff('site_staff', { site_id })));
  return { ...drawn, campaign, codeOf, tokenOf, awards, winnersAt, signIn };
}
