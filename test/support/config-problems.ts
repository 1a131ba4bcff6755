import { ConfigurationError } from '@fh/config';

/** The problems a configuration loader names when it refuses to start (fails the test if it starts). */
export function configProblems(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}
