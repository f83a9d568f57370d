/** The PII masking pipeline: rubric, treatments, streaming job, verify, report, remask, synth. */
export * from './decision.js';
export * from './errors.js';
export * from './identifiers.js';
export * from './job.js';
export * from './records.js';
export * from './remask.js';
export * from './report.js';
export * from './rubric/index.js';
export * from './synth.js';
export * from './subject-tokens.js';
export * from './token-erasures.js';
export * from './token-store.js';
export * from './verify.js';
export { detect, redact, ENTITY_TYPES, type EntityType, type Finding } from './detect/index.js';
