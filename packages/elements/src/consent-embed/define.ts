/** Registers `<consent-embed>`; a second copy of Akkoord on the page keeps the first registration. */
import { ConsentEmbed } from './consent-embed.js';
import { define } from '../shared/define.js';

define('consent-embed', ConsentEmbed);

declare global {
  interface HTMLElementTagNameMap {
    'consent-embed': ConsentEmbed;
  }
}

export { ConsentEmbed };
