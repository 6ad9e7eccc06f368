/**
 * Which notice links may become links: the one rule every element shares,
 * whether it renders with Lit (rich-text.ts) or with plain DOM (rich-text-dom.ts).
 *
 * Link targets were validated when the notice loaded; they are checked again
 * here (defense in depth: a notice can reach an element without validation):
 * only `https:`, `mailto:` and `#id` become links, anything else is its text alone.
 */
import type { Inline } from '@akkoord/core/notice';

const SAFE_HREF = /^(?:https:\/\/[^\s]+|mailto:[^\s]+|#[a-z][a-z0-9-]*)$/;

/** `href` if it is an `https:` or `mailto:` URL or `#id`, else `undefined`. */
export function safeHref(href: unknown): string | undefined {
  return typeof href === 'string' && SAFE_HREF.test(href) ? href : undefined;
}

/** What an inline part of rich text renders as: its text, and the link target if it may be a link. */
export function inlineTarget(part: Inline, page: string | undefined): InlineTarget | undefined {
  if (typeof part === 'string') return { text: part };
  if (typeof part !== 'object' || part === null) return undefined;
  const href = safeHref(part.href);
  if (href === undefined) return { text: part.text };
  // A `#section` link from outside the full notice goes to that section on the notice's page.
  if (href.startsWith('#')) return { text: part.text, href: page !== undefined ? page + href : href, internal: true };
  return { text: part.text, href, internal: false };
}

export interface InlineTarget {
  text: string;
  href?: string;
  /** A section of the notice (no `rel`); else another site, which gets `rel="noopener noreferrer"`. */
  internal?: boolean;
}

/**
 * A page the host named (an element's `privacy-href`), if it may be linked:
 * relative, https, or http on the page's own origin; never `javascript:` or `data:`.
 */
export function checkedPageHref(href: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href, document.baseURI);
  } catch {
    return undefined;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && url.origin === location.origin) ? href : undefined;
}
