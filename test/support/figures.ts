import { appendFileSync } from 'node:fs';

/**
 * Prints a fault test's measured figures as one JSON line (`{"fault": …}`), and appends it to the
 * file named by FH_FAULT_FIGURES when set, so a run can be compared with docs/RELIABILITY.md.
 */
export function reportFigures(figures: { fault: string } & Record<string, unknown>): void {
  const line = JSON.stringify(figures);
  process.stdout.write(`${line}\n`);
  if (process.env.FH_FAULT_FIGURES) appendFileSync(process.env.FH_FAULT_FIGURES, `${line}\n`);
}
