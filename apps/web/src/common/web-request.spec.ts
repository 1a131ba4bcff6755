import { safeReturnPath } from './web-request.js';

describe('safeReturnPath', () => {
  it.each([
    ['/transfers/0b5e2d64-0000-4000-8000-000000000000', '/transfers/0b5e2d64-0000-4000-8000-000000000000'],
    ['/transfers/x#chase-1', '/transfers/x#chase-1'],
    ['/?page=2', '/?page=2'],
  ])('keeps the same-site path %s', (input, expected) => expect(safeReturnPath(input)).toBe(expected));

  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    'javascript:alert(1)',
    '',
    undefined,
    null,
    'transfers/x',
    '/\tx',
    '/' + 'a'.repeat(600),
  ])('refuses %p', (input) => expect(safeReturnPath(input as string)).toBe('/'));
});
