/**
 * The wire contract: the one module the device model and the cloud both import. Message types
 * and their JSON Schemas, the envelope, limits, topics and ACL, the signed wire format, the
 * reject reasons. It imports nothing else of fleetplane.
 */
export * from './catalog.js';
export * from './claim/index.js';
export * from './decode.js';
export * from './envelope.js';
export * from './ids.js';
export * from './silence.js';
export * from './limits.js';
export * from './messages/index.js';
export * from './ota/firmware-acceptance.js';
export * from './ota/semver.js';
export * from './reasons.js';
export * from './sealing/credential-seal.js';
export * from './topics.js';
export * from './validate.js';
export * from './wire.js';
