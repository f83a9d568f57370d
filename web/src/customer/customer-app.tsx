import type { SurfaceProps } from '../main.js';
import { useHashRoute } from '../ui/hash-route.js';
import { Shell } from '../ui/shell.js';
import { CardsView } from './cards-view.js';
import { HistoryView } from './history-view.js';
import { MyData } from './my-data.js';
import { ReceiptView } from './receipt-view.js';
import { ShopView } from './shop-view.js';

const TABS = [
  { view: 'shop', label: 'Shop' },
  { view: 'history', label: 'Receipts' },
  { view: 'cards', label: 'Cards' },
  { view: 'data', label: 'My data' },
];

/** The shopper's phone: pair with a cart, the list, the basket live, receipts, cards, own data. */
export default function CustomerApp({ session }: SurfaceProps) {
  const route = useHashRoute('shop');
  if (!session) return null;
  const current = route.view === 'receipt' ? 'history' : route.view;
  return (
    <Shell
      surface="fleetplane"
      context="My shopping"
      session={session}
      tabs={TABS}
      current={current}
      narrow
    >
      {route.view === 'receipt' && route.arg ? <ReceiptView receiptId={route.arg} /> : null}
      {current === 'shop' ? <ShopView session={session} /> : null}
      {route.view === 'history' ? <HistoryView /> : null}
      {current === 'cards' ? <CardsView /> : null}
      {current === 'data' ? <MyData /> : null}
    </Shell>
  );
}
