export * from './vocabulary.js';
export * from './nhs-number.js';
