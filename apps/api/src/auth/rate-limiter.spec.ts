import { RATE_LIMIT_MAX_KEYS, RATE_WINDOW_MS, RateLimited, RateLimiter } from './rate-limiter';

describe('rate limiter (fixed window per key)', () => {
  const limiter = (perMinute: number) => {
    const l = new RateLimiter({ rateLimitPerMinute: perMinute });
    let at = 1_000;
    l.now = () => at;
    return { l, advance: (ms: number) => (at += ms) };
  };
  const refused = (hit: () => void) => {
    try {
      hit();
      return null;
    } catch (error) {
      if (error instanceof RateLimited) return error.retryAfterSeconds;
      throw error;
    }
  };

  it('allows the limit in a window, refuses past it with the seconds left, and opens a new window after a minute', () => {
    const { l, advance } = limiter(3);
    for (let i = 0; i < 3; i++) expect(refused(() => l.hit('ip:a'))).toBeNull();
    advance(20_500);
    expect(refused(() => l.hit('ip:a'))).toBe(40);
    expect(refused(() => l.hit('ip:b'))).toBeNull(); // keys are independent
    advance(RATE_WINDOW_MS - 20_500);
    expect(refused(() => l.hit('ip:a'))).toBeNull();
  });

  it('a refund gives back one counted request', () => {
    const { l } = limiter(1);
    l.hit('ip:a');
    l.refund('ip:a');
    expect(refused(() => l.hit('ip:a'))).toBeNull();
    expect(refused(() => l.hit('ip:a'))).not.toBeNull();
  });

  it('forgets expired windows as it goes and never holds more than RATE_LIMIT_MAX_KEYS keys', () => {
    const { l, advance } = limiter(10);
    for (let i = 0; i < 1_000; i++) l.hit(`ip:${i}`);
    advance(RATE_WINDOW_MS);
    for (let i = 0; i < 600; i++) l.hit(`ip:new${i}`); // each hit forgets up to two expired keys
    expect(l.size).toBe(600);
    for (let i = 0; i < RATE_LIMIT_MAX_KEYS + 5_000; i++) l.hit(`ip:flood${i}`);
    expect(l.size).toBe(RATE_LIMIT_MAX_KEYS);
  });
});
