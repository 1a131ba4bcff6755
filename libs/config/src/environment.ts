import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * The validation scaffold every app's configuration is built on (the API and worker's AppConfig,
 * the console's WebConfig, the development identity provider's IdpConfig): a class-validator class
 * per app, read from the environment once at boot, every problem named by its variable.
 */

/** `@Transform(toInt)`: a string of digits becomes a number (anything else is left for @IsInt to refuse). */
export const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
/** `@Transform(blankToUndefined)`: a variable set to blanks counts as not set. */
export const blankToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
/** `@IsUrl(HTTP_URL_OPTIONS, …)`: an http(s) URL with its scheme; a host without a dot (localhost) is fine. */
export const HTTP_URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

/**
 * Reads the `known` variables from `env` (nothing else) into `shape` and validates them. Returns the
 * validated values, the raw strings and the problems: one message per constraint, prefixed with the
 * variable's name, and `<NAME> is required` for each `required` variable missing or blank (in place
 * of what validation said about it). The caller adds its own cross-variable checks, then throws.
 */
export function readEnvironment<T extends object>(
  shape: new () => T,
  env: Record<string, string | undefined>,
  known: readonly string[],
  required: readonly string[],
): { vars: T; raw: Record<string, string>; problems: string[] } {
  const raw: Record<string, string> = {};
  for (const key of new Set([...known, ...required])) {
    const value = env[key];
    if (value !== undefined) raw[key] = value;
  }
  const vars = plainToInstance(shape, raw);
  const problems = validateSync(vars, { forbidUnknownValues: true }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property}: ${message}`,
    ),
  );
  for (const name of required) {
    if (raw[name] === undefined || raw[name].trim() === '') {
      const index = problems.findIndex((p) => p.startsWith(name));
      const message = `${name} is required`;
      if (index >= 0) problems[index] = message;
      else problems.push(message);
    }
  }
  return { vars, raw, problems };
}
