/** "Now", injectable so tests can move time (deadlines, overdue, chasing). */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
