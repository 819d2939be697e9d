// A slot's summary at the counter (awarded, collected, waiting, released), counted from its awards' statuses:
// the same count on the server (commands/todaysPickups.ts) and in the page after a press (browser/counterPage.ts).

export interface PickupCounts {
  awards: number;
  collected: number;
  waiting: number;
  released: number;
}

export const noPickups = (): PickupCounts => ({ awards: 0, collected: 0, waiting: 0, released: 0 });

/** Adds one award with this status to the counts. */
export function countPickup(counts: PickupCounts, status: string): void {
  counts.awards++;
  if (status === 'collected') counts.collected++;
  else if (status === 'won' || status === 'promoted') counts.waiting++;
  else counts.released++;
}
