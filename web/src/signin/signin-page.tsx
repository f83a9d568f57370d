import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { useEffect, useState } from 'preact/hooks';
import { describeLink, enrol, signIn, type LinkInfo } from '../api/ceremonies.js';
import type { ConsoleSession } from '../api/client.js';
import { api } from '../api/platform.js';
import { landing, ROLE_NAMES } from '../ui/homes.js';
import { ErrorNote, InfoNote, Loading } from '../ui/widgets.js';

/** The one-time link from `fleetplane login-link` or an invitation, taken out of the address. */
function takeLink(): string | null {
  const match = /(?:^#|&)link=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return null;
  // Out of the address bar and history at once: the link is a credential until it is used.
  history.replaceState(null, '', location.pathname + location.search);
  return decodeURIComponent(match[1]);
}

export default function SigninPage() {
  const [link] = useState(takeLink);
  const [info, setInfo] = useState<LinkInfo>();
  const [linkError, setLinkError] = useState<unknown>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const supported = browserSupportsWebAuthn();
  const next = new URLSearchParams(location.search).get('next');

  useEffect(() => {
    document.title = 'Sign in — fleetplane';
    if (!link) return;
    describeLink(api, link).then(setInfo, setLinkError);
  }, [link]);

  async function run(ceremony: () => Promise<ConsoleSession | null>) {
    setBusy(true);
    setError(undefined);
    try {
      const session = await ceremony();
      if (!session) throw new Error('the platform did not open a session; try the link again');
      location.assign(landing(session.role, next));
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  return (
    <main id="main" class="narrow">
      <h1>Sign in to fleetplane</h1>
      {!supported ? (
        <div class="note error" role="alert">
          This browser cannot use passkeys. Open the link in a current Chrome, Edge, Firefox or
          Safari.
        </div>
      ) : null}
      <ErrorNote error={error} />
      {link ? (
        <section class="panel" aria-labelledby="link-title">
          <h2 id="link-title">Your sign-in link</h2>
          {linkError ? (
            <>
              <ErrorNote error={linkError} title="This link cannot be used" />
              <p>Ask for a new link, or sign in with a passkey you already have.</p>
            </>
          ) : !info ? (
            <Loading what="what the link is for" />
          ) : (
            <>
              <p>
                {info.name ? `${info.name}, this` : 'This'} link signs you in as{' '}
                <strong>{ROLE_NAMES[info.role] ?? info.role}</strong>
                {info.store ? (
                  <>
                    {' '}
                    for store <strong>{info.store}</strong>
                  </>
                ) : null}
                . Create a passkey on this device: your fingerprint, face or security key will sign
                you in from now on.
              </p>
              <button
                type="button"
                class="primary"
                disabled={busy || !supported}
                onClick={() => run(() => enrol(api, link))}
              >
                Create a passkey and sign in
              </button>
            </>
          )}
        </section>
      ) : (
        <InfoNote>
          New here? Open the sign-in link you were given (from an invitation, or{' '}
          <code>fleetplane login-link</code>).
        </InfoNote>
      )}
      <section class="panel" aria-labelledby="passkey-title">
        <h2 id="passkey-title">Already have a passkey?</h2>
        <button
          type="button"
          class={link ? undefined : 'primary'}
          disabled={busy || !supported}
          onClick={() => run(() => signIn(api))}
        >
          Sign in with a passkey
        </button>
      </section>
      <p class="small">
        <a href="/docs">API reference</a>
      </p>
    </main>
  );
}
