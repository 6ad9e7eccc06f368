/**
 * Registers a tag once. A registrar may load Akkoord twice (a tag manager and
 * an npm build): the first registration wins, and a different class already
 * holding the tag gets a warning (once, with the fix) instead of an exception.
 */
import { reportDuplicate } from './dev-errors.js';

export function define(tag: string, element: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) customElements.define(tag, element);
  else if (existing !== element) {
    reportDuplicate(tag); // a console warning, once, with the fix
  }
}
