import type { FastifyRequest } from 'fastify';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { notFound } from '../../surfaces/api/api-errors.js';
import { requireRole } from '../../surfaces/api/auth.js';
import type { ApiPrincipal } from '../../surfaces/api/roles.js';
import type { CartView, DeviceView } from '../../stores/entities/entity-store.js';

const PAGE = 1000;

/** Every cart of a store, by device id (a store has hundreds, not millions). */
export async function storeCarts(deps: ApiDeps, storeId: string): Promise<CartView[]> {
  const carts: CartView[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await deps.entities.listCarts({
      storeId,
      limit: PAGE,
      ...(after !== undefined ? { after } : {}),
    });
    carts.push(...page.carts);
    if (page.next === null) return carts;
    after = page.next;
  }
}

/**
 * The caller may act on this store (ops, or staff of it), the store exists and the cart is one of
 * its carts. The role is checked first, so staff of another store learn nothing about this one.
 */
export async function storeAccess(
  deps: ApiDeps,
  request: FastifyRequest,
  storeId: string,
): Promise<ApiPrincipal> {
  const principal = requireRole(request, ['ops', 'staff'], storeId);
  if (!(await deps.storeExists(storeId))) throw notFound(`no store ${storeId}`);
  return principal;
}

export async function storeCart(
  deps: ApiDeps,
  storeId: string,
  deviceId: string,
): Promise<DeviceView> {
  const device = await deps.entities.getDevice(deviceId);
  if (!device || device.storeId !== storeId || device.deviceClass !== 'cart') {
    throw notFound(`no cart ${deviceId} in store ${storeId}`);
  }
  return device;
}
