/** Notice blocks as Lit templates: headings, paragraphs, lists, addresses, notes. */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Block, PostalAddress } from '@akkoord/core/notice';
import { richText } from './rich-text.js';

/** A country named in `locale` (its code where the engine cannot). */
export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    // an engine without Intl.DisplayNames shows the code
    return code;
  }
}

/** A postal address as lines, the country named in `locale`. */
export function addressLines(address: PostalAddress, locale: string): string[] {
  return [
    address.streetAddress,
    [address.postalCode, address.addressLocality].filter(Boolean).join(' '),
    ...(address.addressRegion ? [address.addressRegion] : []),
    countryName(address.addressCountry, locale),
  ];
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
