// Request bodies of the draw's admin API: the public beacon, and an award collected at the office.
import { z } from 'zod';
import { safeText } from '../../fields.js';

/** A receipt's public id in a path. */
export const PUBLIC_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const beaconSchema = z.object({ beacon: safeText(2000) });
/** The admin page's: without `confirm` it only shows what would be recorded; `confirm=yes` records it. */
export const beaconFormSchema = beaconSchema.extend({ confirm: z.enum(['yes']).optional() });
export const collectSchema = z.object({ claim_code: z.string().max(40).optional() });
