import './styles.css';
import { render, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleSession } from './api/client.js';
import { api } from './api/platform.js';
import { HOME } from './ui/homes.js';
import { ErrorNote, Loading } from './ui/widgets.js';

/** What a surface module exports: its page, given the signed-in person (none for public pages). */
export interface SurfaceProps {
  readonly session: ConsoleSession | null;
}

interface Surface {
  /** Who may open it; null: anyone (sign-in, the API reference). */
  readonly role: string | null;
  readonly load: () => Promise<{ default: ComponentType<SurfaceProps> }>;
}

// Each surface is its own chunk: a shopper's phone never downloads the ops console's charts.
const SURFACES: Record<string, Surface> = {
  '/signin': { role: null, load: () => import('./signin/signin-page.js') },
  '/staff': { role: 'staff', load: () => import('./staff/staff-app.js') },
  '/ops': { role: 'ops', load: () => import('./ops/ops-app.js') },
  '/app': { role: 'customer', load: () => import('./customer/customer-app.js') },
  '/docs': { role: null, load: () => import('./docs/docs-page.js') },
};

function surfacePath(pathname: string): string {
  const first = '/' + (pathname.split('/')[1] ?? '');
  return first in SURFACES ? first : '/';
}

function Boot() {
  const [page, setPage] = useState<{
    Page: ComponentType<SurfaceProps>;
    session: ConsoleSession | null;
  }>();
  const [problem, setProblem] = useState<unknown>();
  const [wrongRole, setWrongRole] = useState<ConsoleSession>();

  useEffect(() => {
    void (async () => {
      try {
        const where = surfacePath(location.pathname);
        const surface = SURFACES[where];
        if (!surface) {
          // `/`: the signed-in person's own surface, or sign-in.
          const session = await api.session();
          location.replace(session ? (HOME[session.role] ?? '/signin') : '/signin');
          return;
        }
        const [session, module] = await Promise.all([
          surface.role === null ? null : api.session(),
          surface.load(),
        ]);
        if (surface.role !== null) {
          if (!session) {
            location.replace(`/signin?next=${encodeURIComponent(where)}`);
            return;
          }
          if (session.role !== surface.role) {
            setWrongRole(session);
            return;
          }
        }
        setPage({ Page: module.default, session });
      } catch (error) {
        setProblem(error);
      }
    })();
  }, []);

  if (problem) {
    return (
      <main id="main">
        <h1>fleetplane console</h1>
        <ErrorNote error={problem} title="The console could not start" />
        <button type="button" onClick={() => location.reload()}>
          Try again
        </button>
      </main>
    );
  }
  if (wrongRole) {
    const home = HOME[wrongRole.role];
    return (
      <main id="main" class="narrow">
        <h1>Not your page</h1>
        <p>
          You are signed in as {wrongRole.name ?? 'someone'} with the {wrongRole.role} role, which
          cannot open this page.
        </p>
        {home ? (
          <a class="button primary" href={home}>
            Go to your page
          </a>
        ) : null}
      </main>
    );
  }
  if (!page) {
    return (
      <main id="main">
        <Loading what="the console" />
      </main>
    );
  }
  return <page.Page session={page.session} />;
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<Boot />, root);
}
