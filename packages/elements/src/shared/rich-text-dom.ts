/**
 * Notice text as DOM nodes, for the banner, which paints its first layer
 * without Lit. Text only ever becomes text nodes (never `innerHTML`), so
 * markup in a notice stays text; links follow the rules of `links.ts`.
 */
import type { RichText } from '@akkoord/core/notice';
import { checkedPageHref, inlineTarget } from './links.js';

type Child = Node | string | number | null | undefined | false;

/** `<tag attr=…>children</tag>`; attributes with an undefined value are left out. */
export function h(tag: string, attributes: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    // Anything that is not a node (a number in an unvalidated notice) becomes text, never markup.
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Rich text as text nodes and `<a part="link">`; `page` is where the full notice is. */
export function richTextNodes(text: RichText, page?: string): Node[] {
  if (!Array.isArray(text)) return [document.createTextNode(String(text))];
  const nodes: Node[] = [];
  for (const part of text) {
    const target = inlineTarget(part, page);
    if (!target) continue;
    nodes.push(
      target.href === undefined
        ? document.createTextNode(target.text)
        : h('a', { part: 'link', href: target.href, rel: target.internal ? undefined : 'noopener noreferrer' }, target.text),
    );
  }
  return nodes;
}

/** A link to a page the host named, when it is a safe one; else the text alone. */
export function pageLinkNode(text: string, href: string): Node {
  const target = checkedPageHref(href);
  return target === undefined ? document.createTextNode(text) : h('a', { part: 'link', href: target }, text);
}
