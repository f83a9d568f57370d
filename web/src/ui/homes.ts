/** Each role's surface: where sign-in lands and where `/` sends a signed-in person. */
export const HOME: Record<string, string> = { ops: '/ops', staff: '/staff', customer: '/app' };

export const ROLE_NAMES: Record<string, string> = {
  ops: 'fleet operations',
  staff: 'store staff',
  customer: 'shopper',
};

/** Where to go after signing in: the page asked for if it is this role's, else the role's home. */
export function landing(role: string, next: string | null): string {
  const home = HOME[role] ?? '/';
  return next && next === home ? next : home;
}
