/**
 * The text of the developer errors that dev-errors.ts finds, loaded only
 * when it finds one: what is wrong, and how to fix it.
 */
import { devError, NOTICE_GRACE_MS } from './dev-errors.js';

/** What a check of dev-errors.ts found. */
export type Mistake =
  | { code: 'notice-missing'; host: HTMLElement }
  | {
      code: 'notice-fetch-failed' | 'notice-invalid';
      host: HTMLElement & { notice?: unknown };
      error: { message: string; issues: readonly { path: string; message: string }[] };
    }
  | { code: 'endpoint-invalid'; host: HTMLElement & { endpoint?: string }; problem: string }
  | { code: 'lang-unsupported'; host: HTMLElement; lang: string; locales: readonly string[]; wellFormed: boolean }
  | { code: 'heading-level-invalid'; host: HTMLElement & { headingLevel: number } };

/** The element as a developer wrote it: `<consent-banner endpoint="http://…">`. */
const tag = (host: Element, attribute?: string, value?: unknown) =>
  attribute ? `<${host.localName} ${attribute}="${String(value)}">` : `<${host.localName}>`;

const MANIFEST = 'the manifest.json that `akkoord-notice build` wrote';

export function explain(mistake: Mistake): void {
  const kind = mistake.host.localName;
  switch (mistake.code) {
    case 'notice-missing':
      return devError(
        mistake.code,
        `${tag(mistake.host)} still has no notice ${NOTICE_GRACE_MS / 1000} s after it was added to the page, so it shows nothing.`,
        `Set its notice attribute to ${MANIFEST} (notice="/akkoord/notices/<id>/manifest.json"), or its .notice property to a notice object.`,
        kind,
      );
    case 'notice-fetch-failed':
    case 'notice-invalid': {
      const { host, error } = mistake;
      const where = typeof host.notice === 'string' ? tag(host, 'notice', host.notice) : tag(host);
      if (mistake.code === 'notice-fetch-failed') {
        return devError(
          mistake.code,
          `${where}: ${error.message}.`,
          `Point notice at a URL this page can fetch: ${MANIFEST}, published with your site (or served with CORS).`,
          kind,
        );
      }
      const first = error.issues.slice(0, 3).map((issue) => `${issue.path || '(document)'}: ${issue.message}`);
      const more = error.issues.length > first.length ? `; and ${error.issues.length - first.length} more` : '';
      return devError(
        mistake.code,
        `${where}: ${error.message}${first.length ? ` ${first.join('; ')}${more}.` : ''}`,
        'Check the document with `npx akkoord-notice check notice.json`, which names every issue with its path and line, then publish what `npx akkoord-notice build notice.json --out <dir>` writes and point notice at its manifest.json.',
        kind,
      );
    }
    case 'endpoint-invalid':
      return devError(
        mistake.code,
        `${tag(mistake.host, 'endpoint', mistake.host.endpoint)} ${mistake.problem}, so no receipt is sent: decisions stay in this browser.`,
        "Set endpoint to your receiver's absolute https URL (endpoint=\"https://registrar.example/consent\"); plain http works only on localhost. Leave the attribute out to keep decisions in the browser only.",
        kind,
      );
    case 'lang-unsupported': {
      const { host, lang, wellFormed } = mistake;
      const list = mistake.locales.join(', ');
      return devError(
        mistake.code,
        `${tag(host, 'lang', lang)} ${wellFormed ? `names a language this notice does not have (it has ${list})` : 'is not a BCP 47 language tag'}, so another language is shown.`,
        wellFormed
          ? `Set lang to one of ${list} (a regional tag finds its language: nl-BE finds nl), remove it to follow the page's lang, or add "${lang}" to the notice's locales.`
          : `Write it as a BCP 47 tag, with hyphens, for one of ${list} (nl-BE, not nl_BE), or remove it to follow the page's lang.`,
        kind,
      );
    }
    case 'heading-level-invalid':
      return devError(
        mistake.code,
        `${tag(mistake.host, 'heading-level', mistake.host.getAttribute('heading-level') ?? mistake.host.headingLevel)} is not a heading level.`,
        "Set heading-level to 1–6: the level of the element's top heading, one below the heading above it in your page.",
        kind,
      );
  }
}
