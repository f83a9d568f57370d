import Type, { type Static } from 'typebox';
import { deviceEnvelope, SessionId } from '../envelope.js';

/** One barcode read on a cart, acknowledged on its display before it is ever sent. */
export const Scan = Type.Object(
  {
    ...deviceEnvelope('scan'),
    session_id: SessionId,
    scan_seq: Type.Integer({ minimum: 1, maximum: 10000, description: 'Position in the session.' }),
    action: Type.Enum(['add', 'remove'], { description: 'A customer can take an item back out.' }),
    barcode: Type.String({
      pattern: '^[\\u001D!-~]{1,80}$',
      description: 'Decoded symbol: printable ASCII, GS (0x1D) as the GS1 separator.',
    }),
    symbology: Type.Enum([
      'ean-13',
      'ean-8',
      'upc-a',
      'upc-e',
      'code-128',
      'gs1-databar',
      'qr',
      'data-matrix',
    ]),
    sku: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._-]{1,40}$',
        description: 'From the local catalog cache.',
      }),
    ),
    quantity: Type.Integer({ minimum: 1, maximum: 99 }),
    price_cents: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 10_000_000,
        description: 'Price at scan, from the cache.',
      }),
    ),
    weight_delta_g: Type.Integer({
      minimum: -30000,
      maximum: 30000,
      description: 'Measured platform change.',
    }),
    expected_weight_g: Type.Optional(Type.Integer({ minimum: 0, maximum: 30000 })),
    weight_check: Type.Enum(['match', 'mismatch', 'not-checked'], {
      description: 'Expected against measured within ±20 g; a mismatch never blocks the customer.',
    }),
    read_ms: Type.Integer({ minimum: 0, maximum: 10000, description: 'Trigger to decode.' }),
  },
  { additionalProperties: false },
);
export type Scan = Static<typeof Scan>;
