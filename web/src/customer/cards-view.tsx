import { api } from '../api/platform.js';
import { formatDateTime } from '../format/format.js';
import { useAsync } from '../ui/use-async.js';
import { ErrorNote, Loading } from '../ui/widgets.js';

interface Cards {
  readonly loyalty_cards: { last4: string }[];
  readonly payment_methods: { method_ref: string; added_at: string }[];
}

/** The loyalty card's last four digits and the payment cards as the payment service's tokens. */
export function CardsView() {
  const cards = useAsync(() => api.get<Cards>('/v1/me/cards'), []);
  return (
    <section aria-labelledby="cards-title">
      <h2 id="cards-title">Cards</h2>
      <ErrorNote error={cards.error} />
      {!cards.data ? (
        cards.loading ? (
          <Loading what="your cards" />
        ) : null
      ) : (
        <>
          <div class="panel">
            <h3>Loyalty card</h3>
            {cards.data.loyalty_cards.length === 0 ? (
              <p>No loyalty card on this account.</p>
            ) : (
              <ul class="plain">
                {cards.data.loyalty_cards.map((c) => (
                  <li key={c.last4}>
                    Card ending in <strong class="mono">{c.last4}</strong>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div class="panel">
            <h3>Payment methods</h3>
            <p class="small muted">
              The platform keeps only the payment service's token, never a card number.
            </p>
            {cards.data.payment_methods.length === 0 ? (
              <p>No payment methods registered.</p>
            ) : (
              <ul class="plain">
                {cards.data.payment_methods.map((m) => (
                  <li key={m.method_ref}>
                    <code>{m.method_ref}</code>{' '}
                    <span class="small muted">added {formatDateTime(m.added_at)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      )}
    </section>
  );
}
