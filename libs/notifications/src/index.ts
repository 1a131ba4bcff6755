export * from './templates.js';
export * from './email-outbox.js';
export * from './withdrawal.js';
export * from './directory-notices.js';
