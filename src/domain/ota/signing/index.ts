/**
 * Firmware signing: the firmware-signing key (separate from the fleet CA), the manifest
 * `ota build` signs and the file it writes. The device's acceptance check is the contract's
 * acceptFirmware; nothing here re-implements it.
 */
export * from './build-manifest.js';
export * from './firmware-signing-key.js';
export * from './ota-layout.js';
export * from './ota-signing-failure.js';
export * from './signed-manifest.js';
