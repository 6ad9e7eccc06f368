/** Notice text without its markup: what a check reads, and what may stand where no link can (a `<summary>`). */
import type { RichText } from './schema.js';

/** Rich text as its plain words: each link reduced to its text. */
export function plainText(text: RichText): string {
  return typeof text === 'string' ? text : text.map((part) => (typeof part === 'string' ? part : part.text)).join('');
}
