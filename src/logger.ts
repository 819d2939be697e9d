import { type DestinationStream, type Logger, pino } from 'pino';

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

/** `destination` defaults to stdout; tests pass a stream to read what would be logged. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact,
    base: { service: 'fair-allocation' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
