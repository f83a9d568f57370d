import { Failure } from '../../shared/failure.js';

/** Every expected failure of the shadow service, in one closed set. */
export type ShadowErrorCode =
  /** 404: no such device. */
  | 'unknown-device'
  /** 400: the merged desired document is not a ShadowState, or sets a reported-only key. */
  | 'bad-shadow'
  /** 409: other writers kept changing the document; read it again and retry. */
  | 'shadow-busy';

export class ShadowFailure extends Failure<ShadowErrorCode> {}
