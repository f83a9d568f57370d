import type { ComponentChildren } from 'preact';
import { formatCount, humanize } from '../format/format.js';
import { TableWrap } from '../ui/widgets.js';

type Json = unknown;

/**
 * A summary of counts whatever its exact shape: numbers as figures, maps of counts as small
 * tables, lists of records as tables. The fleet summary and the compliance report are read this
 * way so a field the platform adds shows up without a console release.
 */
export function CountsView({ value, label }: { value: Json; label: string }) {
  if (typeof value !== 'object' || value === null) return <p>{String(value)}</p>;
  const entries = Object.entries(value as Record<string, Json>);
  const figures = entries.filter(
    ([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean',
  );
  const nested = entries.filter(([, v]) => typeof v === 'object' && v !== null);
  return (
    <>
      {figures.length > 0 ? (
        <dl class="stats" aria-label={label}>
          {figures.map(([k, v]) => (
            <div key={k}>
              <dt>{humanize(k)}</dt>
              <dd>{typeof v === 'number' ? formatCount(v) : String(v)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <div class="grid">
        {nested.map(([k, v]) => (
          <div class="panel" key={k}>
            <h3>{humanize(k)}</h3>
            <Nested value={v} label={humanize(k)} />
          </div>
        ))}
      </div>
    </>
  );
}

function Nested({ value, label }: { value: Json; label: string }): ComponentChildren {
  if (Array.isArray(value)) {
    if (value.length === 0) return <p class="muted">None.</p>;
    const records = value.filter(
      (v): v is Record<string, Json> => typeof v === 'object' && v !== null,
    );
    if (records.length !== value.length) return <p>{value.map(String).join(', ')}</p>;
    const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
    return (
      <TableWrap label={label}>
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" key={c}>
                  {humanize(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {records.map((r, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c} class={typeof r[c] === 'number' ? 'num' : undefined}>
                    {cell(r[c])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    );
  }
  const entries = Object.entries(value as Record<string, Json>);
  if (entries.length === 0) return <p class="muted">None.</p>;
  return (
    <table>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td class={typeof v === 'number' ? 'num' : undefined}>{cell(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function cell(value: Json): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return formatCount(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
