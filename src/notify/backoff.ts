// Exponential backoff with "equal jitter" (AWS architecture blog, "Exponential Backoff And Jitter"):
// the wait is uniform in [c/2, c] where c = min(max, base * 2^(attempt-1)), so a burst of failures
// spreads out instead of retrying in lockstep, yet never comes straight back. A provider's
// Retry-After, when given, is a floor.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export function retryDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const delay = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(delay, retryAfterMs ?? 0);
}
