/**
 * Registers a tag once. A registrar may load Akkoord twice (a tag manager and
 * an npm build): the first registration wins, and a different class already
 * holding the tag gets a warning instead of an exception.
 */
export function define(tag: string, element: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) customElements.define(tag, element);
  else if (existing !== element) {
    console.warn(`<${tag}> is already defined by another script (another copy or version of Akkoord?); keeping that one.`);
  }
}
