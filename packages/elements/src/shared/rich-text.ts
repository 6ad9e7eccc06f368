/**
 * Notice text as Lit templates: rich text, strings and links (blocks are in
 * `blocks.ts`; which targets may be links is decided in `links.ts`).
 *
 * Everything goes through Lit's text and attribute bindings, never
 * `innerHTML` or `unsafeHTML`, so markup in a notice stays text.
 */
import { html, nothing } from 'lit';
import type { RichText } from '@akkoord/core/notice';
import { checkedPageHref, inlineTarget, safeHref } from './links.js';

export { safeHref } from './links.js';

/** A link to a checked target; `https:` and `mailto:` links get `rel="noopener noreferrer"`. */
export function link(text: unknown, href: unknown, part = 'link'): unknown {
  const target = safeHref(href);
  if (target === undefined) return text;
  return target.startsWith('#')
    ? html`<a part=${part} href=${target}>${text}</a>`
    : html`<a part=${part} href=${target} rel="noopener noreferrer">${text}</a>`;
}

/**
 * Rich text as inline content (text nodes and `<a part="link">`). `page` is
 * where the full notice is, for elements that show notice text elsewhere.
 */
export function richText(text: RichText, page?: string): unknown {
  if (!Array.isArray(text)) return text;
  return text.map((part) => {
    const target = inlineTarget(part, page);
    if (!target) return nothing;
    if (target.href === undefined) return target.text;
    return target.internal
      ? html`<a part="link" href=${target.href}>${target.text}</a>`
      : html`<a part="link" href=${target.href} rel="noopener noreferrer">${target.text}</a>`;
  });
}

/** A link to a page the host named (an element's `privacy-href`), when it is a safe one. */
export function pageLink(text: unknown, href: string): unknown {
  const target = checkedPageHref(href);
  return target === undefined ? text : html`<a part="link" href=${target}>${text}</a>`;
}
