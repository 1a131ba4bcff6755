export * from './cipher.js';
export * from './key-ring.js';
export * from './transfer-keys.repository.js';
export * from './request-keys.js';
export * from './family-columns.js';
