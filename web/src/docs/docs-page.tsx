import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api/platform.js';
import { useAsync } from '../ui/use-async.js';
import { ErrorNote, Loading, TableWrap } from '../ui/widgets.js';
import { groupByTag, operationsOf, search, type Operation } from './openapi.js';
import { SchemaView } from './schema-view.js';

/** The API reference, rendered from the platform's own OpenAPI document. */
export default function DocsPage() {
  const doc = useAsync(() => api.get<Record<string, unknown>>('/openapi.json'), []);
  const [query, setQuery] = useState('');
  const groups = useMemo(
    () => (doc.data ? groupByTag(doc.data, operationsOf(doc.data)) : []),
    [doc.data],
  );
  const shown = useMemo(() => search(groups, query), [groups, query]);
  const info = (doc.data?.['info'] ?? {}) as {
    title?: string;
    version?: string;
    description?: string;
  };
  const count = shown.reduce((n, g) => n + g.operations.length, 0);
  useEffect(() => {
    document.title = 'API reference — fleetplane';
  }, []);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <h1>{info.title ?? 'fleetplane API'} reference</h1>
        <div class="who">
          <span>{info.version ? `version ${info.version}` : ''}</span>
          <a class="button" href="/openapi.json">
            openapi.json
          </a>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorNote error={doc.error} />
        {info.description ? <p>{info.description}</p> : null}
        <div class="field">
          <label for="docs-search">Search the API</label>
          <input
            id="docs-search"
            type="search"
            value={query}
            placeholder="e.g. rollout, POST, receipts"
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          />
        </div>
        {!doc.data ? (
          doc.loading ? (
            <Loading what="the API description" />
          ) : null
        ) : (
          <>
            <p class="small muted" role="status">
              {count} operation{count === 1 ? '' : 's'}
              {query ? ` match “${query}”` : ''}
            </p>
            <nav aria-label="Tags" class="row small" style={{ marginBottom: '1rem' }}>
              {shown.map((g) => (
                <a key={g.tag} href={`#tag-${g.tag}`}>
                  {g.tag}
                </a>
              ))}
            </nav>
            {shown.map((g) => (
              <section key={g.tag} aria-labelledby={`tag-${g.tag}`}>
                <h2 id={`tag-${g.tag}`}>{g.tag}</h2>
                {g.description ? <p class="muted">{g.description}</p> : null}
                {g.operations.map((op) => (
                  <OperationView key={op.id} op={op} />
                ))}
              </section>
            ))}
          </>
        )}
      </main>
    </>
  );
}

function OperationView({ op }: { op: Operation }) {
  return (
    <details class="op" id={op.id}>
      <summary>
        <span class={`method ${op.method.toLowerCase()}`}>{op.method}</span>
        <code>{op.path}</code>
        <span>{op.summary}</span>
      </summary>
      <div class="body">
        {op.description ? <p>{op.description}</p> : null}
        <p class="small muted">
          {op.secured ? 'Needs a bearer token or a console session.' : 'No authentication.'}
        </p>
        {op.parameters.length > 0 ? (
          <TableWrap label="Parameters">
            <table>
              <caption>Parameters</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">In</th>
                  <th scope="col">Schema</th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody>
                {op.parameters.map((p) => (
                  <tr key={`${p.in}-${p.name}`}>
                    <td>
                      <code>{p.name}</code>
                      {p.required ? ' (required)' : ''}
                    </td>
                    <td>{p.in}</td>
                    <td>
                      <SchemaView schema={p.schema} compact />
                    </td>
                    <td>{p.description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : null}
        {op.requestBody ? (
          <>
            <h3>Request body ({op.requestBody.contentType})</h3>
            {op.requestBody.description ? <p>{op.requestBody.description}</p> : null}
            <SchemaView schema={op.requestBody.schema} />
          </>
        ) : null}
        <h3>Responses</h3>
        {op.responses.map((r) => (
          <div key={r.status}>
            <p>
              <strong>{r.status}</strong> {r.description ?? ''}
            </p>
            {r.schema ? <SchemaView schema={r.schema} /> : null}
          </div>
        ))}
      </div>
    </details>
  );
}
