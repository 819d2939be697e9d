// The draw's public beacon (BEACON_URL): fetching its value for a campaign, and the gauge that says one is due and
// missing. Apart from draw.ts so that the composition root wires them without loading the job queue's library.
import { Gauge } from 'prom-client';
import type { DrawContext } from '../commands/drawContext.js';
import type { Metrics } from '../metrics/registry.js';

export function beaconMissingGauge(metrics: Metrics): DrawContext['metrics'] {
  const existing = metrics.registry.getSingleMetric('draw_beacon_missing') as Gauge<'campaign'> | undefined;
  const gauge =
    existing ??
    new Gauge({
      name: 'draw_beacon_missing',
      help: '1 while a campaign is due for its draw and its beacon value is not recorded',
      labelNames: ['campaign'],
      registers: [metrics.registry],
    });
  return { beaconMissing: gauge };
}

/**
 * BEACON_URL, with {closes_at} (ISO) and {closes_at_unix} filled in. A JSON answer gives its "randomness"
 * (drand's field) or "beacon"; any other 200 answer is used as text. Anything else: not available yet.
 */
export function createBeaconFetcher(
  template: string,
  timeoutMs: number,
): NonNullable<DrawContext['fetchBeacon']> {
  return async (c) => {
    const url = template
      .replaceAll('{closes_at}', encodeURIComponent(c.closes_at.toISOString()))
      .replaceAll('{closes_at_unix}', String(Math.floor(c.closes_at.getTime() / 1000)));
    const res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json, text/plain' },
    });
    if (!res.ok) return undefined;
    const text = (await res.text()).trim();
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      const body = JSON.parse(text) as Record<string, unknown>;
      const v = body.randomness ?? body.beacon;
      return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
    }
    return text === '' ? undefined : text;
  };
}
