/**
 * Tests and hooks against real services make many requests; on a 2-core machine under load jest's
 * 5 s default is not enough. (A project's own `testTimeout` is ignored by jest-circus, which reads only
 * the global one, so the integration and end-to-end projects set it here.)
 */
jest.setTimeout(30_000);
