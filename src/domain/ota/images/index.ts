/**
 * Firmware images: the content-addressed ImageStore in the blob store, the signed short-lived
 * URLs ota-jobs carry (FirmwareUrls), the device API's download route, the API's upload route,
 * and wireOtaImages, which builds them for the platform.
 */
export * from './firmware-download-route.js';
export * from './image-store.js';
export * from './image-upload-routes.js';
export * from './ota-images-wiring.js';
export * from './signed-urls.js';
