import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleSession } from '../api/client.js';
import { api, live } from '../api/platform.js';
import { attachAnnouncer } from './announcer.js';
import { useLiveState } from './use-live.js';

export interface Tab {
  readonly view: string;
  readonly label: ComponentChildren;
}

const LIVE_TEXT = { open: 'Live', connecting: 'Connecting…', closed: 'Live updates stopped' };

/** The frame of every signed-in surface: who is signed in, the views, live state, sign-out. */
export function Shell(props: {
  surface: string;
  session: ConsoleSession;
  context?: string;
  tabs: readonly Tab[];
  current: string;
  narrow?: boolean;
  children: ComponentChildren;
}) {
  const region = useRef<HTMLDivElement>(null);
  const liveState = useLiveState();
  const [signingOut, setSigningOut] = useState(false);
  useEffect(() => {
    attachAnnouncer(region.current);
    return () => attachAnnouncer(null);
  }, []);
  const title = [props.surface, props.context].filter(Boolean).join(' · ');
  useEffect(() => {
    document.title = `${title} — fleetplane`;
  }, [title]);

  async function signOut() {
    setSigningOut(true);
    try {
      await api.post('/v1/auth/signout');
    } catch {
      // Signed out or not, the page leaves: the cookie expires on its own.
    }
    live.close();
    location.assign('/signin');
  }

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <h1>{title}</h1>
        <div class="who">
          <span class="live-dot" data-state={liveState} data-testid="live-state">
            {LIVE_TEXT[liveState]}
          </span>
          {props.session.name ? <span class="name">{props.session.name}</span> : null}
          <button type="button" onClick={signOut} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      {props.tabs.length > 0 ? (
        <nav class="tabs" aria-label={`${props.surface} views`}>
          {props.tabs.map((tab) => (
            <a
              key={tab.view}
              href={`#${tab.view}`}
              aria-current={tab.view === props.current ? 'page' : undefined}
            >
              {tab.label}
            </a>
          ))}
        </nav>
      ) : null}
      <main id="main" tabIndex={-1} class={props.narrow ? 'narrow' : undefined}>
        {props.children}
      </main>
      <div ref={region} class="visually-hidden" aria-live="polite" data-testid="announcer" />
    </>
  );
}
