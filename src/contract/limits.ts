/**
 * Documented limits of the wire format. Each has a reason; docs/protocol.md repeats them for
 * firmware teams.
 */

/** Version of the message schemas in this module. Older versions stay accepted when they exist. */
export const SCHEMA_VERSION = 1;

/** ECDSA P-256 signature as r||s, 32 bytes each, appended to the body. */
export const SIGNATURE_BYTES = 64;

/**
 * Largest JSON body accepted, in bytes. Routine messages are 200–800 bytes; a session-end with
 * the maximum 250 lines is about 20 KB. The cap bounds what a hostile publisher can make the
 * cloud parse and hash per message, and stays far below MQTT brokers' packet limits (AWS IoT
 * Core: 128 KB).
 */
export const MAX_BODY_BYTES = 32 * 1024;

/** Largest payload (body plus signature) a device may publish. */
export const MAX_PAYLOAD_BYTES = MAX_BODY_BYTES + SIGNATURE_BYTES;

/**
 * Largest MQTT packet the embedded broker takes from a device, fixed header and topic included;
 * announced to MQTT 5 clients as Maximum Packet Size. Twice the payload limit, so that a payload
 * somewhat over MAX_PAYLOAD_BYTES still reaches ingest and is answered with reason `size`, while a
 * far larger packet costs its connection before it is buffered.
 */
export const MAX_PACKET_BYTES = 64 * 1024;

/**
 * The counter is a non-negative integer that only grows, across reboots. Its ceiling is the
 * largest integer every JSON parser reads exactly (2^53 − 1); at 100 messages a second that is
 * millions of years.
 */
export const MAX_COUNTER = Number.MAX_SAFE_INTEGER;

/** Lines in one session-end: the PRD's sessions are 30–80 scans; 250 leaves a wide margin. */
export const MAX_SESSION_LINES = 250;

/** Short machine-readable text fields (reasons, details) never carry free text: no PII vector. */
export const MAX_DETAIL_LENGTH = 200;

/** Items a cart caches from its store's catalog: the PRD's top 2,000 SKUs. */
export const MAX_CART_CATALOG_ITEMS = 2000;

/** A pre-shop list the cloud hands a cart with attach-customer. */
export const MAX_SHOPPING_LIST_ITEMS = 100;
