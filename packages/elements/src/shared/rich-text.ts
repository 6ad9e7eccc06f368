/**
 * Notice text as Lit templates: rich text (strings and links) and blocks
 * (paragraphs, lists, headings, addresses, notes).
 *
 * Everything goes through Lit's text and attribute bindings, never
 * `innerHTML` or `unsafeHTML`, so markup in a notice stays text. Link targets
 * were validated when the notice loaded; they are checked again here (defense
 * in depth: a notice can reach an element without validation, and this module
 * is shared by every element): only `https:`, `mailto:` and `#id` become links,
 * anything else is rendered as its text alone.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Block, Inline, RichText } from '@akkoord/core/notice';

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

function inline(part: Inline): unknown {
  if (typeof part === 'string') return part;
  if (typeof part !== 'object' || part === null) return nothing;
  return link(part.text, part.href);
}

/** Rich text as inline content (text nodes and `<a part="link">`). */
export function richText(text: RichText): unknown {
  return Array.isArray(text) ? text.map(inline) : text;
}

/** Rich text without its links, for places that may hold no interactive content (a `<summary>`). */
export function plainText(text: RichText): string {
  return Array.isArray(text) ? text.map((p) => (typeof p === 'string' ? p : p.text)).join('') : text;
}

/** Lines separated by `<br>`, as in an address. */
export function lines(items: readonly unknown[]): unknown[] {
  return items.map((item, i) => (i ? html`<br />${item}` : item));
}

export interface HeadingOptions {
  id?: string;
  part?: string;
  /** -1 makes the heading a focus target for in-page links. */
  tabindex?: number;
}

/** An `<h1>`…`<h6>`; `level` is clamped to 1–6 so hosts can shift our outline. */
export function heading(level: number, content: unknown, { id, part, tabindex }: HeadingOptions = {}): TemplateResult {
  switch (Math.min(6, Math.max(1, Math.trunc(level) || 2))) {
    case 1:
      return html`<h1 id=${ifDefined(id)} part=${ifDefined(part)} tabindex=${ifDefined(tabindex)}>${content}</h1>`;
    case 2:
      return html`<h2 id=${ifDefined(id)} part=${ifDefined(part)} tabindex=${ifDefined(tabindex)}>${content}</h2>`;
    case 3:
      return html`<h3 id=${ifDefined(id)} part=${ifDefined(part)} tabindex=${ifDefined(tabindex)}>${content}</h3>`;
    case 4:
      return html`<h4 id=${ifDefined(id)} part=${ifDefined(part)} tabindex=${ifDefined(tabindex)}>${content}</h4>`;
    case 5:
      return html`<h5 id=${ifDefined(id)} part=${ifDefined(part)} tabindex=${ifDefined(tabindex)}>${content}</h5>`;
    default:
      return html`<h6 id=${ifDefined(id)} part=${ifDefined(part)} tabindex=${ifDefined(tabindex)}>${content}</h6>`;
  }
}

/** One block; `headingLevel` is the level of a `heading` block. */
export function block(item: Block, headingLevel: number): unknown {
  switch (item.type) {
    case 'paragraph':
      return html`<p>${richText(item.text)}</p>`;
    case 'list': {
      const items = item.items.map((entry) => html`<li>${richText(entry)}</li>`);
      return item.ordered ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`;
    }
    case 'heading':
      return heading(headingLevel, item.text);
    case 'address':
      return html`<address>${lines(item.lines)}</address>`;
    case 'note':
      return html`<p part="note" role="note">${richText(item.text)}</p>`;
    default:
      return nothing;
  }
}

export function blocks(items: readonly Block[], headingLevel: number): unknown[] {
  return items.map((item) => block(item, headingLevel));
}
