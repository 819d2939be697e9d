// Create a campaign, or edit one still in draft or scheduled; both validate the whole campaign first.
import { appendAudit } from '../audit/log.js';
import type { Trx } from '../db/knex.js';
import {
  findCampaign,
  findCampaignByCode,
  insertCampaign,
  updateEditableCampaign,
} from '../db/repos/campaigns.js';
import { existingSiteIds } from '../db/repos/sites.js';
import { replaceCampaignSlots } from '../db/repos/slots.js';
import { inTransaction } from '../db/transaction.js';
import { type Campaign, type CampaignInput, EDITABLE_STATES, validateCampaign } from '../domain/campaign.js';
import { DomainError, problem, validationFailed } from '../domain/errors.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';

async function validate(trx: Trx, input: CampaignInput): Promise<void> {
  const sites = await existingSiteIds(
    trx,
    input.slots.map((s) => s.site_id),
  );
  const problems = validateCampaign(input, sites);
  if (problems.length > 0) throw validationFailed(problems);
}

function rowOf({ slots: _slots, ...row }: CampaignInput) {
  return row;
}

export async function createCampaign(
  ctx: CommandContext,
  actor: Actor,
  input: CampaignInput,
): Promise<Campaign> {
  return inTransaction(ctx.db, async (trx) => {
    await validate(trx, input);
    if (await findCampaignByCode(trx, input.code)) {
      throw new DomainError('duplicate_code', `Campaign code ${input.code} is already used`, {
        problems: [problem('code', 'campaign_code_taken')],
      });
    }
    const campaign = await insertCampaign(trx, {
      ...rowOf(input),
      created_by: actor.kind === 'staff' ? actor.id : null,
    });
    await replaceCampaignSlots(trx, campaign.id, input.slots);
    await appendAudit(trx, {
      at: ctx.clock.now(),
      actor: actorLabel(actor),
      action: 'campaign.created',
      subject: `campaign:${campaign.id}`,
      data: { code: campaign.code, kind: campaign.kind, mode: campaign.mode },
    });
    return campaign;
  });
}

export async function updateCampaign(
  ctx: CommandContext,
  actor: Actor,
  id: string,
  version: number,
  input: CampaignInput,
): Promise<Campaign> {
  return inTransaction(ctx.db, async (trx) => {
    const current = await findCampaign(trx, id);
    if (!current) throw new DomainError('not_found', 'No such campaign');
    await validate(trx, input);
    const other = await findCampaignByCode(trx, input.code);
    if (other && other.id !== id) {
      throw new DomainError('duplicate_code', `Campaign code ${input.code} is already used`, {
        problems: [problem('code', 'campaign_code_taken')],
      });
    }
    const updated = await updateEditableCampaign(trx, id, version, rowOf(input), EDITABLE_STATES);
    if (!updated) {
      if (!EDITABLE_STATES.includes(current.state)) {
        throw new DomainError(
          'campaign_not_editable',
          `A campaign that is ${current.state} can no longer be edited`,
        );
      }
      throw new DomainError('conflict', 'The campaign was changed by someone else; reload and try again', {
        details: { version: current.version },
      });
    }
    await replaceCampaignSlots(trx, id, input.slots);
    await appendAudit(trx, {
      at: ctx.clock.now(),
      actor: actorLabel(actor),
      action: 'campaign.edited',
      subject: `campaign:${id}`,
      data: { version: updated.version },
    });
    return updated;
  });
}
