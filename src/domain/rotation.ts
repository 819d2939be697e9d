// The 2020 mask birth-year weekday rule (출생연도 5부제) against a campaign's application window: on weekdays a person
// applies only on the day their birth year's last digit names (1·6 Mon, 2·7 Tue, 3·8 Wed, 4·9 Thu, 5·0 Fri), at the
// weekend anyone does. A window shorter than a week leaves some birth years no day, or minutes of one, so what a
// resident is told is the times that really come within the window, never the rule's day alone.
// Pure: every moment is passed in; days are the campaign's own (its time zone, summer time included).
import { DateTime } from 'luxon';

export const ROTATION_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
/** The weekday a birth year applies on. */
export type RotationDay = (typeof ROTATION_DAYS)[number];

/** The two last digits of the birth years whose day it is: Monday 1 and 6, ..., Friday 5 and 0. */
export const ROTATION_DIGITS: Record<RotationDay, readonly [number, number]> = {
  mon: [1, 6],
  tue: [2, 7],
  wed: [3, 8],
  thu: [4, 9],
  fri: [5, 0],
};

/** 1,6 Monday; 2,7 Tuesday; 3,8 Wednesday; 4,9 Thursday; 5,0 Friday. */
export function rotationDay(birthYear: number): RotationDay {
  const days: RotationDay[] = ['fri', 'mon', 'tue', 'wed', 'thu'];
  return days[birthYear % 5]!;
}

/** A stretch of time, `from` included and `until` not. */
export interface Span {
  from: Date;
  until: Date;
}

/** A time a person may apply: `weekend` when part of it is a Saturday or Sunday (anyone's days). */
export interface Turn extends Span {
  weekend: boolean;
}

/** The application window a rule is read against. */
export interface RotationWindow {
  time_zone: string;
  opens_at: Date;
  closes_at: Date;
}

const isWeekend = (weekday: number) => weekday >= 6; // luxon: 1 = Monday .. 7 = Sunday

/** Whether a person whose day is `day` may apply at `at`: on their weekday or at the weekend, in the zone's days. */
export function mayApplyAt(day: RotationDay, at: Date, zone: string): boolean {
  const weekday = DateTime.fromJSDate(at, { zone }).weekday;
  return isWeekend(weekday) || ROTATION_DAYS[weekday - 1] === day;
}

/** Who may apply on a day of the week: one rotation day's birth years, or (a weekend day) everyone. */
function whoseDay(weekday: number): RotationDay | 'everyone' {
  return isWeekend(weekday) ? 'everyone' : ROTATION_DAYS[weekday - 1]!;
}

/**
 * The times in [from, until) when a person whose day is `day` may apply, in order: their weekday and the weekend,
 * adjoining days joined into one turn (a Friday's birth years have Friday to Sunday in one), each cut to the range.
 * At most `max` of them.
 */
export function turnsWithin(
  day: RotationDay,
  from: Date,
  until: Date,
  zone: string,
  max = Number.POSITIVE_INFINITY,
): Turn[] {
  const turns: Turn[] = [];
  let current: Turn | undefined;
  for (
    let d = DateTime.fromJSDate(from, { zone }).startOf('day');
    d.toMillis() < until.getTime();
    d = d.plus({ days: 1 })
  ) {
    const who = whoseDay(d.weekday);
    if (who !== 'everyone' && who !== day) continue;
    const start = new Date(Math.max(d.toMillis(), from.getTime()));
    const end = new Date(Math.min(d.plus({ days: 1 }).toMillis(), until.getTime()));
    if (current && current.until.getTime() === start.getTime()) {
      current.until = end;
      current.weekend ||= who === 'everyone';
      continue;
    }
    if (turns.length >= max) break;
    current = { from: start, until: end, weekend: who === 'everyone' };
    turns.push(current);
  }
  return turns;
}

/**
 * The next time within the window a person whose day is `day` may apply, from `now` on (a turn under way starts
 * now); undefined when none comes before the window closes.
 */
export function nextTurn(w: RotationWindow, day: RotationDay, now: Date): Turn | undefined {
  const from = new Date(Math.max(now.getTime(), w.opens_at.getTime()));
  return turnsWithin(day, from, w.closes_at, w.time_zone, 1)[0];
}

/** One stretch of a window's days and whose they are. */
export interface RotationRow extends Span {
  who: RotationDay | 'everyone';
}

/** Whose days the window still holds: at most a week of them, since the days repeat after that. */
export interface RotationCalendar {
  rows: RotationRow[];
  /** birth years that have no time left in the window */
  none: RotationDay[];
  /** the window goes on past the rows shown, the same days again each week */
  repeats: boolean;
}

/**
 * The window's days that have not ended by `now` as a resident reads them: each weekday with the birth years whose
 * day it is, a weekend in one row for everyone, cut to the window (a day under way shows whole, from its start or
 * the opening, so the page does not change by the minute); then the birth years left without a day.
 */
export function rotationCalendar(w: RotationWindow, now: Date): RotationCalendar {
  const start = new Date(Math.max(now.getTime(), w.opens_at.getTime()));
  const rows: RotationRow[] = [];
  const seen = new Set<RotationDay | 'everyone'>();
  let d = DateTime.fromJSDate(start, { zone: w.time_zone }).startOf('day');
  const weekLater = d.plus({ weeks: 1 }).toMillis();
  for (; d.toMillis() < w.closes_at.getTime() && d.toMillis() < weekLater; d = d.plus({ days: 1 })) {
    const who = whoseDay(d.weekday);
    const rowFrom = new Date(Math.max(d.toMillis(), w.opens_at.getTime()));
    const rowUntil = new Date(Math.min(d.plus({ days: 1 }).toMillis(), w.closes_at.getTime()));
    const last = rows.at(-1);
    if (last && last.who === who && last.until.getTime() === rowFrom.getTime()) last.until = rowUntil;
    else rows.push({ from: rowFrom, until: rowUntil, who });
    seen.add(who);
  }
  const everyone = seen.has('everyone');
  return {
    rows,
    none: everyone ? [] : ROTATION_DAYS.filter((day) => !seen.has(day)),
    repeats: d.toMillis() < w.closes_at.getTime(),
  };
}

/** How much of the whole window one rotation day's birth years have. */
export interface RotationShare {
  day: RotationDay;
  turns: Turn[];
  /** milliseconds in all */
  total: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The birth years the window treats short: those with no time in it at all, or less than a whole day's (24 hours)
 * in all, which a window shorter than a week (or one opening or closing in the middle of someone's day) leaves.
 * Empty when every birth year has at least a day. For the operator, who can lengthen the window or drop the rule.
 */
export function rotationShortfall(w: RotationWindow): RotationShare[] {
  // nine days hold seven whole ones (a summer-time day is 23 hours), so every weekday and a weekend: nobody is short,
  // and a window of months is not walked day by day
  if (w.closes_at.getTime() - w.opens_at.getTime() >= 9 * DAY_MS) return [];
  return ROTATION_DAYS.map((day) => {
    const turns = turnsWithin(day, w.opens_at, w.closes_at, w.time_zone);
    const total = turns.reduce((sum, s) => sum + (s.until.getTime() - s.from.getTime()), 0);
    return { day, turns, total };
  }).filter((share) => share.total < DAY_MS);
}
