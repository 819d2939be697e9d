// Prometheus metrics: request rate and latency, reconciler lag, campaigns by state. One registry per process;
// the web process serves it at /metrics, the reconciler and the draw's jobs feed it.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  latency: Histogram<'method' | 'route'>;
  reconcilerLag: Gauge;
  reconcilerLastRun: Gauge;
  reconcilerLaneLastRun: Gauge<'lane'>;
  campaigns: Gauge<'state'>;
}

export function createMetrics(opts: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    reconcilerLag: new Gauge({
      name: 'reconciler_transition_lag_seconds',
      help: 'Delay between a campaign moment (opens_at, closes_at, ...) and the state change, last transition',
      registers: [registry],
    }),
    reconcilerLastRun: new Gauge({
      name: 'reconciler_last_run_timestamp_seconds',
      help: 'When the reconciler last completed the transitions of a pass',
      registers: [registry],
    }),
    // each lane of steps apart (reconciler.ts): one stuck behind a slow provider shows here, not in the pass's time
    reconcilerLaneLastRun: new Gauge({
      name: 'reconciler_lane_last_run_timestamp_seconds',
      help: 'When each lane of reconciler steps last completed a run',
      labelNames: ['lane'],
      registers: [registry],
    }),
    campaigns: new Gauge({
      name: 'campaigns',
      help: 'Campaigns by state (open = taking applications)',
      labelNames: ['state'],
      registers: [registry],
    }),
  };
}
