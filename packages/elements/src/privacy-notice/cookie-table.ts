/**
 * The cookies and storage keys a purpose declares, as a table under the
 * purpose in the notice: what is stored, by whom, where, for how long and
 * what for. The element loads this module only for a notice that declares
 * any, so a notice without them pays no byte for it. The table scrolls
 * sideways on a narrow screen; its wrapper is focusable and named (the
 * caption and the purpose's title) so that a keyboard user can scroll it.
 *
 * The kinds are the browser's own names (cookie, localStorage,
 * sessionStorage), as cookie statements write them in Dutch as in English;
 * a cookie without a declared domain shows the page's host, where it is set.
 */
import { adoptStyles, html, nothing } from 'lit';
import type { LocalizedNotice } from '@akkoord/core/notice';
import { LocaleController, msg } from '../localization.js';
import { catalogs } from '../generated/catalogs/cookie-table.js';
import { richText } from '../shared/rich-text.js';
import type { PrivacyNotice } from './privacy-notice.js';
import { styles } from './cookie-table.styles.js';

type Purpose = LocalizedNotice['purposes'][number];

/**
 * Gives the element its cookie tables: this module's styles join the
 * element's, its strings load per UI locale (a catalog of its own, so the
 * element's catalog does not carry them), and the element re-renders.
 */
export function attach(host: PrivacyNotice): void {
  if (host.cookieTable) return;
  // A controller of its own loads the table's catalog in the element's UI locale (and, should it fail,
  // falls back to English), and `setLocale` loads it with the element's.
  const locale = new LocaleController(host, 'cookie-table', catalogs);
  adoptStyles(host.renderRoot as ShadowRoot, [...(host.constructor as typeof PrivacyNotice).elementStyles, styles]);
  host.cookieTable = (purpose) => (locale.show(host.content.shown!) ? cookieTable(purpose) : nothing);
  host.requestUpdate();
}

export function cookieTable(purpose: Purpose): unknown {
  const cookies = purpose.cookies ?? [];
  const storage = purpose.storage ?? [];
  if (cookies.length + storage.length === 0) return nothing;
  const captionId = `cookies-${purpose.id}`;
  const host = location.hostname;
  return html`
    <div part="cookie-table-scroller" role="region" aria-labelledby=${captionId} tabindex="0">
      <table part="cookie-table">
        <caption id=${captionId}>${msg('Cookies and storage', { id: 'notice.cookies' })}: ${purpose.title}</caption>
        <thead>
          <tr>
            <th scope="col">${msg('Name', { id: 'notice.cookies.name' })}</th>
            <th scope="col">${msg('Kind', { id: 'notice.cookies.kind' })}</th>
            <th scope="col">${msg('Provider', { id: 'notice.cookies.provider' })}</th>
            <th scope="col">${msg('Domain', { id: 'notice.cookies.domain' })}</th>
            <th scope="col">${msg('Kept for', { id: 'notice.cookies.lifetime' })}</th>
            <th scope="col">${msg('Used for', { id: 'notice.cookies.description' })}</th>
          </tr>
        </thead>
        <tbody>
          ${cookies.map(
            (cookie) => html`
              <tr part="cookie-row" data-name=${cookie.name}>
                <th scope="row"><code>${cookie.name}</code></th>
                <td>cookie</td>
                <td>${cookie.provider}</td>
                <td>${cookie.domain ?? host}</td>
                <td>${cookie.lifetime}</td>
                <td>${richText(cookie.description)}</td>
              </tr>
            `,
          )}
          ${storage.map(
            (entry) => html`
              <tr part="cookie-row" data-name=${entry.key}>
                <th scope="row"><code>${entry.key}</code></th>
                <td>${entry.type}Storage</td>
                <td>${entry.provider}</td>
                <td>${host}</td>
                <td>${entry.lifetime}</td>
                <td>${richText(entry.description)}</td>
              </tr>
            `,
          )}
        </tbody>
      </table>
    </div>
  `;
}
