import { createHash, randomBytes } from 'node:crypto';
import { CREDENTIAL_PATTERNS, type CredentialMethod } from '../../contract/index.js';
import type { Random } from '../random.js';

/**
 * What a customer can hold up to the cart's NFC reader or camera. The simulator's cards are
 * plain values; `cardId` stands for what only the card and its issuer know, so the cart never
 * sees it — the EMV module turns it into an opaque token.
 */
export type Credential =
  | { readonly kind: 'loyalty'; readonly number: string }
  | { readonly kind: 'payment'; readonly cardId: string }
  | { readonly kind: 'app-code'; readonly code: string };

/**
 * What the NFC/EMV module hands the firmware for a tap: never card data. The value is the
 * credential in the clear; it lives in RAM only and leaves the cart sealed (identify.ts).
 */
export interface TapReading {
  readonly method: CredentialMethod;
  readonly value: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A payment card's token as the EMV module derives it: stable per card (the same card gives the
 * same token on every cart, which is what lets the cloud match a customer across a battery
 * swap), and a one-way function of the card, so it reveals nothing about it.
 */
export function paymentToken(cardId: string): string {
  const digest = createHash('sha256').update(`emv-token:${cardId}`).digest();
  let out = 'tok_';
  for (let i = 0; i < 24; i++) out += ALNUM[digest[i]! % ALNUM.length];
  return out;
}

/** Reads a tap; undefined when the card is not one the reader understands (an nfc-error). */
export function readTap(credential: Credential): TapReading | undefined {
  switch (credential.kind) {
    case 'loyalty':
      return reading('loyalty', credential.number);
    case 'payment':
      return reading('payment-token', paymentToken(credential.cardId));
    case 'app-code':
      return reading('app-code', credential.code);
  }
}

/** The contract's pattern for the method is what the identity service accepts once opened. */
function reading(method: CredentialMethod, value: string): TapReading | undefined {
  return CREDENTIAL_PATTERNS[method].test(value) ? { method, value } : undefined;
}

export type Authorization =
  | { readonly status: 'authorized'; readonly authToken: string }
  | { readonly status: 'declined'; readonly code: string };

/**
 * The store's EMV terminal, reached over BLE at checkout: it reads the card itself and answers
 * with an opaque authorization token or a decline. Declines are injected at a rate.
 */
export class StoreTerminal {
  #declineRate = 0;

  constructor(private readonly random: Random) {}

  setDeclineRate(rate: number): void {
    this.#declineRate = Math.min(1, Math.max(0, rate));
  }

  authorize(amountCents: number, card: Credential & { kind: 'payment' }): Authorization {
    void amountCents;
    void card;
    if (this.random() < this.#declineRate) return { status: 'declined', code: 'card-declined' };
    return { status: 'authorized', authToken: `auth_${randomBytes(12).toString('base64url')}` };
  }
}

/** A made-up loyalty number of 16 digits, from a seeded source. */
export function randomLoyaltyNumber(random: Random): string {
  let n = String(1 + Math.floor(random() * 9));
  while (n.length < 16) n += String(Math.floor(random() * 10));
  return n;
}

/** A made-up app code (A-Z0-9, 8 characters). */
export function randomAppCode(random: Random): string {
  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let code = '';
  for (let i = 0; i < 8; i++) code += chars[Math.floor(random() * chars.length)];
  return code;
}

/** A payment card for the simulation: an id only its issuer would know. */
export function randomPaymentCard(random: Random): Credential & { kind: 'payment' } {
  return { kind: 'payment', cardId: `card-${Math.floor(random() * 2 ** 48).toString(36)}` };
}
