import type { ComponentChildren } from 'preact';
import { describeError } from '../api/client.js';
import type { Level } from '../format/format.js';

/** An error in words, announced as it appears. */
export function ErrorNote({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  return (
    <div class="note error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {describeError(error)}
    </div>
  );
}

export function OkNote({ children }: { children: ComponentChildren }) {
  return (
    <div class="note ok" role="status">
      {children}
    </div>
  );
}

export function InfoNote({ children }: { children: ComponentChildren }) {
  return <div class="note info">{children}</div>;
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function Badge({ level, children }: { level: Level | 'info'; children: ComponentChildren }) {
  return <span class={`badge ${level}`}>{children}</span>;
}

/**
 * The scroll box of a table that may be wider than the screen. It takes keyboard focus and has a
 * name, so a keyboard user can scroll it too (WCAG 2.1.1; axe: scrollable-region-focusable).
 */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** Counts as a row of figures (a description list, so each number has its label). */
export function Stats({ items, label }: { items: [string, ComponentChildren][]; label: string }) {
  return (
    <dl class="stats" aria-label={label}>
      {items.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Facts({ items }: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {items.map(([name, value]) => [
        <dt key={`${name}-t`}>{name}</dt>,
        <dd key={`${name}-d`}>{value}</dd>,
      ])}
    </dl>
  );
}

/** A small JSON value as readable text (evidence, shadow documents, trail details). */
export function JsonText({ value }: { value: unknown }) {
  return <pre class="mono small">{JSON.stringify(value, null, 2)}</pre>;
}

/** Offers text as a file download (an export, a manifest) without a server round trip. */
export function download(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
