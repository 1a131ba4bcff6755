import { ApiFailure } from '../api/api-client.service.js';

/** The GOV.UK error summary and per-field messages for one form. */
export interface FormErrors {
  /** govukErrorSummary's errorList: each message linking to its field. */
  errorList: { text: string; href: string }[];
  /** Field id → { text } for each field's errorMessage. */
  fields: Record<string, { text: string }>;
}

export const NO_ERRORS: FormErrors = { errorList: [], fields: {} };

/**
 * Field-level checks done before calling the API (required fields, date shape). `checks` pairs a
 * field id with a message when it is wrong.
 */
export function fieldErrors(checks: [fieldId: string, message: string | null | false | undefined][]): FormErrors {
  const errors: FormErrors = { errorList: [], fields: {} };
  for (const [field, message] of checks) {
    if (!message || errors.fields[field]) continue;
    errors.fields[field] = { text: message };
    errors.errorList.push({ text: message, href: `#${field}` });
  }
  return errors;
}

/**
 * Errors from an API refusal, for a form: the 400's messages (each names its field, e.g.
 * "summary must be shorter…") and the 422's reasons (plain English from the domain). `fieldOf`
 * maps an API field path or reason code to the form field's id; unmapped ones link to `fallback`.
 */
export function apiFormErrors(
  failure: ApiFailure,
  fieldOf: (key: string) => string | null,
  fallback: string,
): FormErrors {
  const errors: FormErrors = { errorList: [], fields: {} };
  const add = (key: string, text: string) => {
    const field = fieldOf(key) ?? fallback;
    const sentence = text.charAt(0).toUpperCase() + text.slice(1);
    errors.errorList.push({ text: sentence, href: `#${field}` });
    if (!errors.fields[field]) errors.fields[field] = { text: sentence };
  };
  if (failure.body?.reasons?.length) {
    for (const reason of failure.body.reasons) add(reason.code, reason.message);
  } else {
    for (const message of failure.messages) add(message.split(/\s/)[0], message);
  }
  if (!errors.errorList.length) add('', 'The service could not do this. Check the page and try again');
  return errors;
}

/** Merges errors from several sources, keeping the first message per field. */
export function mergeErrors(...all: FormErrors[]): FormErrors {
  return all.reduce<FormErrors>(
    (merged, e) => ({ errorList: [...merged.errorList, ...e.errorList], fields: { ...e.fields, ...merged.fields } }),
    {
      errorList: [],
      fields: {},
    },
  );
}
