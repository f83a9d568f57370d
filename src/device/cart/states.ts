import type { Health } from '../../contract/index.js';
import type { CartState, TapOutcome } from './cart-types.js';
import type { PowerState } from './power.js';

/** What a health message calls each state; an off or flat cart sends none. */
export const HEALTH_STATE: Record<CartState, Health['state'] | undefined> = {
  off: undefined,
  dead: undefined,
  idle: 'idle',
  active: 'active',
  paused: 'paused',
  sleep: 'sleep',
  charging: 'charging',
  maintenance: 'maintenance',
  'parked-outside': 'parked-outside',
};

/** What each state draws from the pack. */
export const POWER_STATE: Record<CartState, PowerState> = {
  off: 'deep-sleep',
  dead: 'deep-sleep',
  idle: 'idle',
  active: 'shopping',
  paused: 'idle',
  sleep: 'deep-sleep',
  charging: 'charging',
  maintenance: 'idle',
  'parked-outside': 'deep-sleep',
};

/** States in which the cart serves no customer, and so the reason it gives. */
export function refusalIn(state: CartState): TapOutcome['refused'] | undefined {
  switch (state) {
    case 'parked-outside':
    case 'maintenance':
    case 'dead':
    case 'off':
      return state;
    default:
      return undefined;
  }
}
