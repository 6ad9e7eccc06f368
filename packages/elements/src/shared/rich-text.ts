/**
 * Notice text as Lit templates: rich text, strings and links (blocks are in
 * `blocks.ts`).
 *
 * Everything goes through Lit's text and attribute bindings, never
 * `innerHTML` or `unsafeHTML`, so markup in a notice stays text. Link targets
 * were validated when the notice loaded; they are checked again here (defense
 * in depth: a notice can reach an element without validation, and this module
 * is shared by every element): only `https:`, `mailto:` and `#id` become links,
 * anything else is rendered as its text alone.
 */
import { html, nothing } from 'lit';
import type { Inline, RichText } from '@akkoord/core/notice';

const SAFE_HREF = /^(?:https:\/\/[^\s]+|mailto:[^\s]+|#[a-z][a-z0-9-]*)$/;

/** `href` if it is an `https:` or `mailto:` URL or `#id`, else `undefined`. */
export function safeHref(href: unknown): string | undefined {
  return typeof href === 'string' && SAFE_HREF.test(href) ? href : undefined;
}

/** A link to a checked target; `https:` and `mailto:` links get `rel="noopener noreferrer"`. */
export function link(text: unknown, href: unknown, part = 'link'): unknown {
  const target = safeHref(href);
  if (target === undefined) return text;
  return target.startsWith('#')
    ? html`<a part=${part} href=${target}>${text}</a>`
    : html`<a part=${part} href=${target} rel="noopener noreferrer">${text}</a>`;
}

function inline(part: Inline, page: string | undefined): unknown {
  if (typeof part === 'string') return part;
  if (typeof part !== 'object' || part === null) return nothing;
  const target = safeHref(part.href);
  // A `#section` link from outside the full notice goes to that section on the notice's page.
  if (page !== undefined && target?.startsWith('#')) return html`<a part="link" href=${page + target}>${part.text}</a>`;
  return link(part.text, part.href);
}

/**
 * Rich text as inline content (text nodes and `<a part="link">`). `page` is
 * where the full notice is, for elements that show notice text elsewhere.
 */
export function richText(text: RichText, page?: string): unknown {
  return Array.isArray(text) ? text.map((part) => inline(part, page)) : text;
}

/** Rich text without its links, for places that may hold no interactive content (a `<summary>`). */
export function plainText(text: RichText): string {
  return Array.isArray(text) ? text.map((p) => (typeof p === 'string' ? p : p.text)).join('') : text;
}

/**
 * A link to a page the host named (an element's `privacy-href`): relative, or
 * https, or http on the page's own origin; never `javascript:` or `data:`.
 */
export function pageLink(text: unknown, href: string): unknown {
  let url: URL;
  try {
    url = new URL(href, document.baseURI);
  } catch {
    return text;
  }
  const ok = url.protocol === 'https:' || (url.protocol === 'http:' && url.origin === location.origin);
  return ok ? html`<a part="link" href=${href}>${text}</a>` : text;
}
