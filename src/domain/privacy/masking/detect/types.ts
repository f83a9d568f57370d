/** The entity types the free-text detector finds; a closed set, each redacted as `[TYPE]`. */
export const ENTITY_TYPES = [
  'EMAIL',
  'CARD',
  'GOV_ID',
  'IP',
  'PHONE',
  'ADDRESS',
  'PERSON',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** One entity found in a text: where it is and which rule found it. Never holds the text itself. */
export interface Finding {
  readonly type: EntityType;
  readonly start: number;
  readonly end: number;
  /** The rule that fired, for audits and for tuning (e.g. `phone:international`). */
  readonly rule: string;
}

/** Finds candidate entities of one kind; the detector resolves overlaps between kinds. */
export type Recognizer = (text: string) => Finding[];
