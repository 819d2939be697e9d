// The draw-v1 data shapes, exactly as docs/draw-v1.md §1, §2 and §6 name them.

export interface Slot {
  id: string;
  capacity: number;
}

export interface Site {
  id: string;
  slots: Slot[];
}

export interface Group {
  name: string;
  reserved: number;
}

export interface Rules {
  unit: 'KRW' | 'item';
  total: number;
  per_person_max: number;
  denomination: number;
  partial: 'skip' | 'partial';
  groups: Group[];
  sites: Site[];
}

export interface RosterEntry {
  public_id: string;
  /** "" for no priority group. */
  group: string;
  weight: number;
  request: number;
  /** Site ids, most wanted first; empty when the rules have no sites. */
  preferences: string[];
}

export interface Result {
  rank: number;
  public_id: string;
  /** hex of the entry's smallest ticket */
  ticket: string;
  outcome: 'won' | 'waitlisted';
  /** 0 when waitlisted */
  amount: number;
  /** "" when none */
  site: string;
  /** "" when none */
  slot: string;
  /** 0 when won */
  waitlist: number;
}

export interface Campaign {
  id: string;
  title: string;
}

export interface Bundle {
  version: 'draw-v1';
  campaign: Campaign;
  rules: Rules;
  roster: RosterEntry[];
  roster_root: string;
  seed_commitment: string;
  secret: string;
  beacon: string;
  seed: string;
  results: Result[];
  results_hash: string;
}

export const DRAW_VERSION = 'draw-v1';
