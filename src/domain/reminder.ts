// When a winner is reminded: 10:00 on the day before their pickup slot (or, with no slot, before their claim
// deadline), in the campaign's time zone. The day before is what residents know from clinics and public
// offices ("내일 ... 수령"): it leaves a day to arrange time off, a proxy or transport, and 10:00 is well
// inside the hours people accept messages (never at night, whenever the slot itself starts).
import { DateTime } from 'luxon';

export const REMINDER_HOUR = 10;

export function reminderMoment(target: Date, zone: string): Date {
  return DateTime.fromJSDate(target, { zone })
    .startOf('day')
    .minus({ days: 1 })
    .set({ hour: REMINDER_HOUR })
    .toJSDate();
}

/**
 * The reminder of an award granted at `grantedAt` whose pickup (or deadline) is `target`; undefined when the
 * moment had already passed when the award was made (its result or promotion notice, just sent, says it all).
 */
export function reminderFor(target: Date, zone: string, grantedAt: Date): Date | undefined {
  const at = reminderMoment(target, zone);
  return at.getTime() > grantedAt.getTime() ? at : undefined;
}
