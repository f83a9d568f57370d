/** How many masking-token mapping entries one data domain held for a person. */
export interface DomainTokenCount {
  readonly domain: string;
  readonly entries: number;
}

/**
 * The port to the masking pipeline's token mapping store (decisions 010, 062), seen from a
 * data-subject request: which domains hold a token for any of a person's identifiers, and
 * destroying those entries so that detokenizing them fails from then on. The customer domain does
 * not know how tokens are made or stored.
 */
export interface PersonalTokens {
  find(identifiers: readonly string[]): Promise<DomainTokenCount[]>;
  erase(identifiers: readonly string[], at: Date): Promise<DomainTokenCount[]>;
}

/**
 * The vault fields that identify one person and that a rubric may tokenise. Names are left out on
 * purpose: a name is not unique, and erasing the token of "Ann Baker" would erase every Ann
 * Baker's mapping in that domain. The account id is added by the caller.
 */
export const TOKENISED_IDENTIFIERS = ['loyalty_number', 'email', 'phone'] as const;
