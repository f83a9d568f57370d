export * from './claim-documents.js';
export * from './claim-examples.js';
export * from './claim-reasons.js';
export * from './claim-topics.js';
