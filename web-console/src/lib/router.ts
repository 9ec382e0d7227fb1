/**
 * History-API routing under the console's base path (/console/): every view has a URL that can
 * be shared or reloaded (the node answers index.html for unknown paths under /console). View
 * state that belongs in a shared link (partition, start position, filter) lives in the query
 * string and is written with replaceState, so typing in a filter does not flood the history.
 */
import { useEffect, useState } from 'preact/hooks';

const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

export interface Location {
  /** Path inside the console, always starting with '/'. */
  path: string;
  query: URLSearchParams;
}

function current(): Location {
  let path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  if (!path.startsWith('/')) path = `/${path}`;
  return { path: path.length > 1 ? path.replace(/\/$/, '') : path, query: new URLSearchParams(location.search) };
}

const listeners = new Set<() => void>();
addEventListener('popstate', () => listeners.forEach((listener) => listener()));

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return loc;
}

export type Query = Record<string, string | number | null | undefined | false>;

/** A console URL: href('/topics/orders', { partition: 0 }) → '/console/topics/orders?partition=0'. */
export function href(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== false && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${BASE}${path}${search ? `?${search}` : ''}`;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((listener) => listener());
}

/** Click handler for in-app links: plain clicks navigate in place, modified clicks open tabs. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = (event.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(anchor.getAttribute('href')!);
  scrollTo(0, 0);
}

export function segment(value: string): string {
  return encodeURIComponent(value);
}
