import { isDatabaseUnavailable } from './service-unavailable';
import { toErrorBody } from './error-response';

describe('isDatabaseUnavailable', () => {
  it.each([
    ['refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    [
      'admin shutdown, wrapped by TypeORM',
      { name: 'QueryFailedError', message: 'terminating connection', driverError: { code: '57P01' } },
    ],
    ['starting up', { code: '57P03', message: 'the database system is starting up' }],
    ['connection exception class 08', { code: '08006', message: 'connection failure' }],
    ['terminated', new Error('Connection terminated unexpectedly')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    [
      'TypeORM released runner',
      Object.assign(new Error('already released'), { name: 'QueryRunnerProviderAlreadyReleasedError' }),
    ],
    ['every address refused', new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])],
  ])('%s → 503 SERVICE_UNAVAILABLE', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(toErrorBody(error)).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
  });

  it.each([
    ['unique violation', { code: '23505' }],
    ['bad value', { code: '22P02' }],
    ['plain bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('%s is not an outage', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
