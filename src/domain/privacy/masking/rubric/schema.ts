import Type, { type Static, type TSchema } from 'typebox';

/**
 * The rubric file's schema: every column of a dataset named, with its bucket and treatment.
 * Each treatment belongs to one bucket, so a column cannot be "behavioral" and hashed at once.
 */
export const BUCKETS = [
  'direct-identifier',
  'quasi-identifier',
  'sensitive',
  'behavioral',
  'free-text',
] as const;
export type Bucket = (typeof BUCKETS)[number];

const Note = Type.Optional(Type.String({ maxLength: 500 }));
const Normalize = Type.Optional(Type.Enum(['none', 'trim', 'lowercase']));
const Reason = Type.String({ minLength: 10, maxLength: 500 });

export const TREATMENTS = {
  hmac: Type.Object(
    {
      bucket: Type.Literal('direct-identifier'),
      treatment: Type.Literal('hmac'),
      normalize: Normalize,
      note: Note,
    },
    { additionalProperties: false },
  ),
  token: Type.Object(
    {
      bucket: Type.Literal('quasi-identifier'),
      treatment: Type.Literal('token'),
      normalize: Normalize,
      note: Note,
    },
    { additionalProperties: false },
  ),
  grid: Type.Object(
    {
      bucket: Type.Literal('sensitive'),
      treatment: Type.Literal('grid'),
      step: Type.Number({ exclusiveMinimum: 0, maximum: 10 }),
      note: Note,
    },
    { additionalProperties: false },
  ),
  bin: Type.Object(
    {
      bucket: Type.Literal('sensitive'),
      treatment: Type.Literal('bin'),
      width: Type.Integer({ minimum: 2, maximum: 100 }),
      note: Note,
    },
    { additionalProperties: false },
  ),
  'truncate-time': Type.Object(
    {
      bucket: Type.Literal('sensitive'),
      treatment: Type.Literal('truncate-time'),
      unit: Type.Enum(['hour', 'day']),
      note: Note,
    },
    { additionalProperties: false },
  ),
  round: Type.Object(
    {
      bucket: Type.Literal('sensitive'),
      treatment: Type.Literal('round'),
      step: Type.Number({ exclusiveMinimum: 0 }),
      note: Note,
    },
    { additionalProperties: false },
  ),
  prefix: Type.Object(
    {
      bucket: Type.Literal('sensitive'),
      treatment: Type.Literal('prefix'),
      length: Type.Integer({ minimum: 1, maximum: 32 }),
      note: Note,
    },
    { additionalProperties: false },
  ),
  keep: Type.Object(
    {
      bucket: Type.Literal('behavioral'),
      treatment: Type.Literal('keep'),
      reason: Reason,
      note: Note,
    },
    { additionalProperties: false },
  ),
  redact: Type.Object(
    {
      bucket: Type.Literal('free-text'),
      treatment: Type.Literal('redact'),
      max_length: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
      note: Note,
    },
    { additionalProperties: false },
  ),
  drop: Type.Object(
    {
      bucket: Type.Enum([...BUCKETS]),
      treatment: Type.Literal('drop'),
      reason: Reason,
      note: Note,
    },
    { additionalProperties: false },
  ),
} satisfies Record<string, TSchema>;

export type TreatmentName = keyof typeof TREATMENTS;
export type ColumnSpec = { [K in TreatmentName]: Static<(typeof TREATMENTS)[K]> }[TreatmentName];

/** Column names as they may appear in a CSV header or a JSON key. */
export const COLUMN_NAME = '^[A-Za-z_][A-Za-z0-9_.-]{0,63}$';
/** The decision-record column every masked row carries. */
export const DECISION_COLUMN = '_mask';

export const RubricFile = Type.Object(
  {
    rubric: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
    version: Type.Integer({ minimum: 1 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    columns: Type.Record(
      Type.String({ pattern: COLUMN_NAME }),
      Type.Object({ bucket: Type.String(), treatment: Type.String() }),
      { minProperties: 1 },
    ),
  },
  { additionalProperties: false },
);

export interface Rubric {
  readonly name: string;
  readonly version: number;
  readonly description?: string;
  readonly columns: ReadonlyMap<string, ColumnSpec>;
  /** sha256 of the file as read: the decision record names exactly which text was applied. */
  readonly sha256: string;
  readonly source: string;
}
