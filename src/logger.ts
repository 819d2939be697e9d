import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

// Secrets are redacted by name (a password or cookie is secret whatever its value). Personal data is redacted
// by what it looks like, wherever it sits, in any field, message or error text: phone numbers, email addresses
// and one-time codes. Field names alone say nothing: an error's `code` of EPIPE or 23505 must stay readable.
const redact = [
  'password',
  'token',
  '*.password',
  '*.token',
  '*.id_token',
  '*.secret',
  'req.headers.cookie',
  'req.headers.authorization',
];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// +8210..., +82 10-1234-5678, 010-1234-5678, 01012345678; not inside ids (no letters, digits or - around it)
const PHONE =
  /(?<![\w-])(?:\+\d{1,3}[ -]?\d{1,4}[ -]?\d{3,4}[ -]?\d{4}|\+\d{8,15}|0\d{1,2}[ -]?\d{3,4}[ -]?\d{4})(?![\w-])/g;
// a JSON string value of exactly six digits: the shape of a one-time code
const OTP_VALUE = /:"\d{6}"/g;

/** Masks personal values in one serialised log line. */
export function redactPersonal(line: string): string {
  return line.replace(EMAIL, '[email]').replace(PHONE, '[phone]').replace(OTP_VALUE, ':"[code]"');
}

/** `destination` defaults to stdout; tests pass a stream to read what would be logged. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact,
    base: { service: 'fair-allocation' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: { streamWrite: redactPersonal },
  };
  return destination ? pino(options, destination) : pino(options);
}
