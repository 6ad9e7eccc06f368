/**
 * Registers a tag once. A registrar may load Akkoord twice (a tag manager and
 * an npm build): the first registration wins, and a different class already
 * holding the tag gets a warning (once, with the fix) instead of an exception.
 */
export function define(tag: string, element: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) customElements.define(tag, element);
  else if (existing !== element) {
    // A console warning, once, with the fix; its text is not on any element's first load.
    void import('./dev-errors.js').then((dev) => dev.reportDuplicate(tag));
  }
}
