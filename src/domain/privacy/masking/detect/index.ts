/** The free-text PII detector: rules, checksums, context words and shipped name lists. */
export { ALL, detect, redact } from './detector.js';
export { ENTITY_TYPES, type EntityType, type Finding } from './types.js';
