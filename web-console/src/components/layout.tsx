/** The frame around every view: the navigation, the live-connection dot, and the page. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { liveState, onLiveState, type LiveState } from '../api/live';
import { href } from '../lib/router';
import { Link } from './link';
import { WhoAmI } from './login';

const SECTIONS = [
  { path: '/', label: 'Overview', match: (p: string) => p === '/' },
  { path: '/topics', label: 'Topics', match: (p: string) => p.startsWith('/topics') },
  { path: '/groups', label: 'Consumer groups', match: (p: string) => p.startsWith('/groups') },
  { path: '/access', label: 'Access', match: (p: string) => p.startsWith('/access') },
  { path: '/quotas', label: 'Quotas', match: (p: string) => p.startsWith('/quotas') },
];

const LIVE_WORDS: Record<LiveState, string> = {
  idle: 'auto-refresh',
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'reconnecting…',
};

function LiveDot() {
  const [state, setState] = useState(liveState);
  useEffect(() => onLiveState(setState), []);
  return (
    <span class={`live-dot ${state}`} title="WebSocket connection for live updates" data-testid="live-state">
      {LIVE_WORDS[state]}
    </span>
  );
}

export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  return (
    <div class="app">
      <header class="topbar">
        <Link href={href('/')} class="brand">
          Logway <span>console</span>
        </Link>
        <nav aria-label="Sections">
          {SECTIONS.map((section) => (
            <Link key={section.path} href={href(section.path)} class={section.match(path) ? 'active' : ''}>
              {section.label}
            </Link>
          ))}
        </nav>
        <WhoAmI />
        <LiveDot />
      </header>
      <main class="page">{children}</main>
    </div>
  );
}

export function PageHeader({
  title,
  crumbs,
  children,
}: {
  title: ComponentChildren;
  crumbs?: { label: string; href: string }[];
  children?: ComponentChildren;
}) {
  return (
    <div class="page-header">
      <div>
        {crumbs && (
          <div class="crumbs">
            {crumbs.map((crumb) => (
              <span key={crumb.href}>
                <Link href={crumb.href}>{crumb.label}</Link> /{' '}
              </span>
            ))}
          </div>
        )}
        <h1>{title}</h1>
      </div>
      {children && <div class="row">{children}</div>}
    </div>
  );
}
