import { configProblems as problemsOf } from '../../../test/support/config-problems';
import { loadIdpConfig } from './idp-config';

const web = { OIDC_CLIENT_SECRET: 'a-secret-of-sixteen+', WEB_BASE_URL: 'http://127.0.0.1:3002/' };

describe('the development identity provider’s configuration', () => {
  const idp = {
    OIDC_CLIENT_SECRET: web.OIDC_CLIENT_SECRET,
    WEB_BASE_URL: web.WEB_BASE_URL,
    OIDC_API_AUDIENCE: 'fh-api',
  };

  it('defaults its issuer to its own port', () => {
    expect(loadIdpConfig({ ...idp, IDP_PORT: '4003' })).toMatchObject({
      port: 4003,
      issuer: 'http://127.0.0.1:4003',
      clientId: 'family-handover-console',
      webBaseUrl: 'http://127.0.0.1:3002',
      accessTokenSeconds: 300,
    });
  });

  it('names what is missing, and refuses to start in production', () => {
    expect(problemsOf(() => loadIdpConfig({ IDP_ACCESS_TOKEN_SECONDS: '5' }))).toEqual(
      expect.arrayContaining([
        'IDP_ACCESS_TOKEN_SECONDS must be between 10 and 3600',
        'OIDC_API_AUDIENCE is required',
        'OIDC_CLIENT_SECRET is required',
        'WEB_BASE_URL is required',
      ]),
    );
    expect(problemsOf(() => loadIdpConfig({ ...idp, NODE_ENV: 'production' }))[0]).toMatch(/^NODE_ENV is production/);
  });
});
