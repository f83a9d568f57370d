import Ajv, { type ErrorObject } from 'ajv';
import Type, { type Static } from 'typebox';

const DATE = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';

/**
 * Where a figure comes from. `public-list-price`: a provider's published price page (the source
 * names it); `seed`: the seed document's cost section; `assumption`: our own choice, said so.
 */
export const PRICE_BASES = ['public-list-price', 'seed', 'assumption'] as const;

const provenance = {
  source: Type.String({ minLength: 1 }),
  basis: Type.Enum([...PRICE_BASES]),
  date: Type.String({ pattern: DATE }),
};

/** One unit price: dollars per `unit`, with where it came from and when it was taken. */
export const UnitPrice = Type.Object(
  {
    usd: Type.Number({ minimum: 0 }),
    unit: Type.String({ minLength: 1 }),
    ...provenance,
  },
  { additionalProperties: false },
);
export type UnitPrice = Static<typeof UnitPrice>;

const prices = <K extends string>(keys: readonly K[]) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, UnitPrice])) as Record<K, typeof UnitPrice>, {
    additionalProperties: false,
  });

export const AWS_PRICE_KEYS = [
  'iotCoreMessagesPerMillion',
  'iotCoreConnectionMinutesPerMillion',
  'iotRulesTriggeredPerMillion',
  'iotRuleActionsPerMillion',
  'lambdaRequestsPerMillion',
  'lambdaArmGbSecond',
  'dynamoDbWriteUnitsPerMillion',
  'dynamoDbReadUnitsPerMillion',
  'dynamoDbStorageGbMonth',
  'dynamoDbPitrGbMonth',
  's3StandardGbMonth',
  'kmsKeyMonth',
  'kmsRequestsPer10k',
  'cloudWatchLogsIngestGb',
  'cloudWatchAlarmMonth',
] as const;

export const SELF_HOSTED_PRICE_KEYS = [
  'vcpuMonth',
  'blockStorageGbMonth',
  'objectStorageGbMonth',
] as const;

/** A dated price list (`data/prices/*.json`): every figure the cost model multiplies usage by. */
export const PriceList = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    asOf: Type.String({ pattern: DATE }),
    currency: Type.Enum(['USD']),
    region: Type.String({ minLength: 1 }),
    hoursPerMonth: Type.Object(
      { value: Type.Number({ minimum: 672, maximum: 744 }), ...provenance },
      { additionalProperties: false },
    ),
    aws: prices(AWS_PRICE_KEYS),
    selfHosted: prices(SELF_HOSTED_PRICE_KEYS),
    seed: Type.Object(
      {
        scaleCarts: Type.Integer({ minimum: 1 }),
        totalUsdPerCartMonth: Type.Number({ minimum: 0 }),
        source: Type.String({ minLength: 1 }),
        items: Type.Array(
          Type.Object(
            {
              item: Type.String({ minLength: 1 }),
              usdPerCartMonth: Type.Number({ minimum: 0 }),
              cloud: Type.Boolean(),
            },
            { additionalProperties: false },
          ),
          { minItems: 1 },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PriceList = Static<typeof PriceList>;
export type AwsPrices = Record<(typeof AWS_PRICE_KEYS)[number], UnitPrice>;
export type SelfHostedPrices = Record<(typeof SELF_HOSTED_PRICE_KEYS)[number], UnitPrice>;

const ajv = new Ajv.default({ strict: true, allErrors: false });
const validate = ajv.compile<PriceList>(JSON.parse(JSON.stringify(PriceList)) as object);

export type PriceListCheck =
  | { readonly ok: true; readonly prices: PriceList }
  | { readonly ok: false; readonly path: readonly string[]; readonly message: string };

/** The schema's verdict on a parsed price file, with the path of the first problem. */
export function checkPriceList(value: unknown): PriceListCheck {
  if (validate(value)) return { ok: true, prices: value };
  return fromAjv(validate.errors?.[0]);
}

function fromAjv(error: ErrorObject | undefined): PriceListCheck {
  if (!error) return { ok: false, path: [], message: 'is not a price list' };
  const path = error.instancePath.split('/').filter((p) => p !== '');
  const params = error.params as Record<string, unknown>;
  const extra = params['additionalProperty'];
  const missing = params['missingProperty'];
  if (typeof extra === 'string')
    return { ok: false, path: [...path, extra], message: 'is not a known field' };
  if (typeof missing === 'string')
    return { ok: false, path, message: `the field '${missing}' is required` };
  const allowed = params['allowedValues'];
  return {
    ok: false,
    path,
    message: `${error.message ?? 'is not valid'}${Array.isArray(allowed) ? ` (${allowed.join(', ')})` : ''}`,
  };
}
