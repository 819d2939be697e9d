// Time is passed in: commands and jobs take a Clock, tests give a fixed or stepped one.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
