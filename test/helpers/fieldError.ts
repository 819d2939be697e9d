// What a form page shows under a field (templates/pages/_field.eta's id="f-<field>-error"), as a person reads it.
export const fieldError = (page: string, field: string) =>
  new RegExp(`id="f-${field}-error">([^<]*)<`).exec(page)?.[1] ?? '(no error shown)';
