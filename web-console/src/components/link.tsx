/** An in-app link: a real <a href> (so it can be opened in a tab or copied) that routes in place. */
import type { ComponentChildren } from 'preact';
import { onLinkClick } from '../lib/router';

export function Link({
  href,
  class: className,
  children,
  title,
}: {
  href: string;
  class?: string;
  children: ComponentChildren;
  title?: string;
}) {
  return (
    <a href={href} class={className} title={title} onClick={onLinkClick}>
      {children}
    </a>
  );
}
