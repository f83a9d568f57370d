/**
 * One polite live region per page (rendered by the shell): live updates are said once, briefly,
 * instead of every changing list being a live region of its own.
 */
let region: HTMLElement | null = null;
let clear: ReturnType<typeof setTimeout> | undefined;

export function attachAnnouncer(element: HTMLElement | null): void {
  region = element;
}

export function announce(text: string): void {
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick makes screen readers speak a repeated message again.
  const target = region;
  setTimeout(() => {
    target.textContent = text;
  }, 50);
  if (clear) clearTimeout(clear);
  clear = setTimeout(() => {
    target.textContent = '';
  }, 8_000);
}
