import { type Logger, pino } from 'pino';

export type { Logger };

// Recipients' numbers and addresses never reach the logs: these paths are redacted wherever they appear.
const redact = [
  '*.phone',
  '*.email',
  '*.to',
  '*.password',
  '*.code',
  'req.headers.cookie',
  'req.headers.authorization',
];

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact,
    base: { service: 'fair-allocation' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
