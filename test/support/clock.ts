import { Clock } from '@fh/domain';

/** A clock a test sets by hand. */
export class TestClock extends Clock {
  constructor(private at: Date) {
    super();
  }
  now(): Date {
    return new Date(this.at.getTime());
  }
  set(at: Date | string): void {
    this.at = new Date(at);
  }
}
