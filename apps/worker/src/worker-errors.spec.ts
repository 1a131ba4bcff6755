import { describeRedisError } from './worker-errors.service';

describe('describeRedisError', () => {
  it("drops Redis 7's script location from an error raised inside a BullMQ script", () => {
    const error = new Error(
      "READONLY You can't write against a read only replica. script: e0e1f9fabfc9d4800c877a703b823ac0578ff8db, on @user_script:1.",
    );
    expect(describeRedisError(error)).toBe("READONLY You can't write against a read only replica.");
  });

  it('keeps the code and the first line only', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390\n    at stack'), {
      code: 'ECONNREFUSED',
    });
    expect(describeRedisError(error)).toBe('ECONNREFUSED connect ECONNREFUSED 127.0.0.1:6390');
  });
});
