/**
 * The pages of the one-click unsubscribe URL, in Dutch or English (by the
 * browser's Accept-Language): the page a GET shows (one button, which
 * posts what a mail client would post), and the answers to that POST.
 *
 * Plain HTML with one style block and no script, under a CSP that allows
 * that style block (by its hash) and nothing else; every text from the
 * token or the notice is escaped.
 */

export type PageLocale = 'nl' | 'en';

export type PageKind = 'confirm' | 'unsubscribed' | 'already-unsubscribed' | 'invalid' | 'expired' | 'bad-request';

export interface PageFacts {
  /** The purpose's title in the page's language, when the token could be read. */
  purpose?: string;
  /** The controller's name, when the token could be read. */
  controller?: string;
}

/** The language the person reads best of the two, by Accept-Language (q-values honoured); `fallback` when it names neither. */
export function pageLocale(acceptLanguage: string | undefined, fallback: PageLocale = 'en'): PageLocale {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { language: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { language } of ranked) if (language === 'nl' || language === 'en') return language;
  return fallback;
}

const TEXT = {
  nl: {
    title: 'Afmelden',
    confirmHeading: (f: PageFacts) => `Afmelden voor ${f.purpose ?? 'deze e-mails'}`,
    confirmBody: (f: PageFacts) =>
      `U ontvangt deze e-mails${f.controller ? ` van ${f.controller}` : ''} omdat u daar toestemming voor gaf. ` +
      'Met de knop hieronder trekt u die toestemming in. Uw andere keuzes blijven zoals ze zijn.',
    button: 'Afmelden',
    unsubscribedHeading: 'U bent afgemeld',
    unsubscribedBody: (f: PageFacts) =>
      `U ontvangt geen e-mails meer over ${f.purpose ?? 'dit onderwerp'}${f.controller ? ` van ${f.controller}` : ''}. ` +
      'Dit staat nu in uw toestemmingsgeschiedenis. U kunt het altijd weer aanzetten in de privacyvoorkeuren op de website.',
    alreadyHeading: 'U bent al afgemeld',
    alreadyBody: (f: PageFacts) =>
      `U ontvangt geen e-mails over ${f.purpose ?? 'dit onderwerp'}${f.controller ? ` van ${f.controller}` : ''}. Er is niets veranderd.`,
    invalidHeading: 'Deze afmeldlink werkt niet',
    invalidBody: () =>
      'De link is beschadigd of niet door ons gemaakt. Er is niets veranderd. ' +
      'Gebruik de link uit de e-mail zelf, of wijzig uw keuzes in de privacyvoorkeuren op de website.',
    expiredHeading: 'Deze afmeldlink is verlopen',
    expiredBody: () =>
      'Er is niets veranderd. Gebruik de afmeldlink in een recentere e-mail, of wijzig uw keuzes in de privacyvoorkeuren op de website.',
    badRequestHeading: 'Afmelden is niet gelukt',
    badRequestBody: () => 'Het verzoek was onvolledig. Er is niets veranderd. Probeer het opnieuw met de knop hieronder.',
  },
  en: {
    title: 'Unsubscribe',
    confirmHeading: (f: PageFacts) => `Unsubscribe from ${f.purpose ?? 'these emails'}`,
    confirmBody: (f: PageFacts) =>
      `You receive these emails${f.controller ? ` from ${f.controller}` : ''} because you consented to them. ` +
      'The button below withdraws that consent. Your other choices stay as they are.',
    button: 'Unsubscribe',
    unsubscribedHeading: 'You have been unsubscribed',
    unsubscribedBody: (f: PageFacts) =>
      `You will no longer receive emails about ${f.purpose ?? 'this topic'}${f.controller ? ` from ${f.controller}` : ''}. ` +
      'This is now part of your consent history. You can turn it back on at any time in the privacy preferences on the website.',
    alreadyHeading: 'You were already unsubscribed',
    alreadyBody: (f: PageFacts) =>
      `You do not receive emails about ${f.purpose ?? 'this topic'}${f.controller ? ` from ${f.controller}` : ''}. Nothing has changed.`,
    invalidHeading: 'This unsubscribe link does not work',
    invalidBody: () =>
      'The link is damaged or was not made by us. Nothing has changed. ' +
      'Use the link in the email itself, or change your choices in the privacy preferences on the website.',
    expiredHeading: 'This unsubscribe link has expired',
    expiredBody: () => 'Nothing has changed. Use the unsubscribe link in a more recent email, or change your choices in the privacy preferences on the website.',
    badRequestHeading: 'Unsubscribing did not work',
    badRequestBody: () => 'The request was incomplete. Nothing has changed. Please try again with the button below.',
  },
} as const;

/** The one style block; the CSP allows exactly this text (by its SHA-256). */
export const PAGE_STYLE = `
body { font: 1rem/1.5 system-ui, sans-serif; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 34rem; margin: 3rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 1rem; }
button { font: inherit; font-weight: 600; color: #fff; background: #1d4ed8; border: 2px solid #1d4ed8; border-radius: 0.375rem; padding: 0.625rem 1.25rem; cursor: pointer; }
button:hover { background: #1e40af; border-color: #1e40af; }
button:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 3px; }
`;

/** The page for `kind`, as a whole HTML document. */
export function renderPage(kind: PageKind, locale: PageLocale, facts: PageFacts): string {
  const t = TEXT[locale];
  const [heading, body] = ((): [string, string] => {
    switch (kind) {
      case 'confirm':
        return [t.confirmHeading(facts), t.confirmBody(facts)];
      case 'unsubscribed':
        return [t.unsubscribedHeading, t.unsubscribedBody(facts)];
      case 'already-unsubscribed':
        return [t.alreadyHeading, t.alreadyBody(facts)];
      case 'invalid':
        return [t.invalidHeading, t.invalidBody()];
      case 'expired':
        return [t.expiredHeading, t.expiredBody()];
      case 'bad-request':
        return [t.badRequestHeading, t.badRequestBody()];
    }
  })();
  // No action attribute: the form posts to this very URL, whatever host or proxy path served it.
  const form =
    kind === 'confirm' || kind === 'bad-request'
      ? `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(t.button)}</button></form>`
      : '';
  return (
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">' +
    `<title>${escapeHtml(t.title)}</title><style>${PAGE_STYLE}</style></head>` +
    `<body><main><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(body)}</p>${form}</main></body></html>`
  );
}

/** The headers of every page: no script at all, only our own style block, no framing, no referrer (the URL is the token). */
export async function pageHeaders(): Promise<Record<string, string>> {
  styleHash ??= globalThis.crypto.subtle
    .digest('SHA-256', new TextEncoder().encode(PAGE_STYLE))
    .then((digest) => btoa(String.fromCharCode(...new Uint8Array(digest))));
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${await styleHash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Robots-Tag': 'noindex',
    'Cache-Control': 'no-store',
  };
}
let styleHash: Promise<string> | undefined;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
