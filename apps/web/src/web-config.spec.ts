import { configProblems as problemsOf } from '../../../test/support/config-problems';
import { loadWebConfig } from './web-config';

const web = {
  DATABASE_URL: 'postgres://app@127.0.0.1/fh',
  WEB_BASE_URL: 'http://127.0.0.1:3002/',
  API_URL: 'http://127.0.0.1:3000',
  OIDC_ISSUER_URL: 'http://127.0.0.1:3003',
  OIDC_CLIENT_ID: 'family-handover-console',
  OIDC_CLIENT_SECRET: 'a-secret-of-sixteen+',
};

describe('the console’s configuration (on libs/config’s readEnvironment)', () => {
  it('reads what is set, fills defaults and trims trailing slashes', () => {
    expect(loadWebConfig({ ...web, WEB_PORT: ' 4002 ', OIDC_API_AUDIENCE: '  ', UNRELATED: 'x' })).toEqual({
      databaseUrl: web.DATABASE_URL,
      databasePoolSize: 5,
      webBaseUrl: 'http://127.0.0.1:3002',
      apiUrl: web.API_URL,
      port: 4002,
      oidc: {
        issuerUrl: web.OIDC_ISSUER_URL,
        clientId: web.OIDC_CLIENT_ID,
        clientSecret: web.OIDC_CLIENT_SECRET,
        apiAudience: undefined,
      },
      sessionIdleSeconds: 1800,
      sessionMaxSeconds: 36000,
      logLevel: 'info',
      production: false,
    });
  });

  it('names every bad or missing variable at once', () => {
    expect(
      problemsOf(() =>
        loadWebConfig({
          ...web,
          DATABASE_URL: 'mysql://x',
          API_URL: ' ',
          WEB_PORT: '70000',
          OIDC_CLIENT_SECRET: 'short',
        }),
      ).sort(),
    ).toEqual([
      'API_URL is required',
      'DATABASE_URL must be a postgres:// URL',
      'OIDC_CLIENT_SECRET must be at least 16 characters',
      'WEB_PORT must be between 0 and 65535',
    ]);
  });
});
