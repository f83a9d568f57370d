/**
 * Salts and data keys for the platform: the KeyProvider port, its local keyring adapter and its
 * AWS KMS adapter (which loads the AWS SDK only when used), and openKeyProvider to pick one.
 */
export * from './envelope.js';
export * from './errors.js';
export * from './file-wrapped-key-store.js';
export * from './key-provider.js';
export * from './kms-key-provider.js';
export * from './local-keyring.js';
export * from './open-key-provider.js';
export * from './salt-rotation.js';
export * from './schedule.js';
export * from './wrapped-key-store.js';
