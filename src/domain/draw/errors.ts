import { DomainError } from '../errors.js';

/** Bad draw input (rules, roster, bundle shape). `path` is a JSONPath-like pointer, e.g. `$.roster[3].request`. */
export class DrawInputError extends DomainError {
  readonly path: string;

  constructor(path: string, message: string) {
    super('validation_failed', `${path}: ${message}`, { fields: { [path]: message } });
    this.name = 'DrawInputError';
    this.path = path;
  }
}
