/** Jest: three suites. Unit specs sit beside the code; integration and end-to-end specs live in test/
 *  and run against real PostgreSQL and Redis (found or started by test/support/global-setup.ts) and SMTP (test/support/smtp.ts). */
const common = {
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  moduleNameMapper: {
    '^@fh/(domain|persistence|config|queues|observability|notifications|packet)$': '<rootDir>/libs/$1/src',
    '^@fh/(domain|persistence|config|queues|observability|notifications|packet)/(.*)$': '<rootDir>/libs/$1/src/$2',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  rootDir: __dirname,
};
/** Tests against real services get 30 s per test and hook (test/support/timeout.ts). */
const services = { setupFilesAfterEnv: ['<rootDir>/test/support/timeout.ts'] };

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/*.spec.ts'],
    },
    {
      ...common,
      ...services,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      ...services,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
