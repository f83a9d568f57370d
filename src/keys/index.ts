/** Salts and data keys for the platform: the KeyProvider port and its local keyring adapter. */
export * from './envelope.js';
export * from './errors.js';
export * from './key-provider.js';
export * from './local-keyring.js';
export * from './schedule.js';
