// The demo sites' HTML pages: home (with the banner), privacy (the full
// notice) and account (a signed-in demo customer's consent preferences,
// consent history and privacy rights).
// Rendered on the server in the language of `?lang=`; public/site.js
// switches the language in the page afterwards, without a reload, using the
// texts embedded in #demo-texts.
import { LANGUAGE_NAMES } from './sites.mjs';

export const PAGES = {
  '/': 'home',
  '/privacy': 'privacy',
  '/account': 'account',
};

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** JSON inside a <script> data block: no `</script>` or `<!--` can end it early. */
const jsonForScript = (value) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** The page's URL in `lang`: the site's default language needs no `?lang=`. */
export function withLang(path, lang, site) {
  return lang === site.defaultLanguage ? path : `${path}?lang=${encodeURIComponent(lang)}`;
}

/**
 * @param {object} options
 * @param {object} options.site          an entry of SITES
 * @param {'home'|'privacy'|'account'} options.page
 * @param {string} options.lang          one of site.languages
 * @param {string|undefined} options.endpoint  the receiver's URL, when it runs
 * @param {boolean} options.gated        whether the notice has the site's gated consent purpose
 * @param {boolean} options.asksConsent  whether the notice has any consent purpose (else no receipt is ever sent)
 */
export function renderPage({ site, page, lang, endpoint, gated, asksConsent }) {
  const texts = site.texts[lang];
  const t = (key) => {
    if (!(key in texts)) throw new Error(`demo text "${key}" is missing in ${site.key}/${lang}`);
    return escapeHtml(texts[key]);
  };
  /** An element whose text site.js switches with the language. */
  const tx = (tag, key, attrs = '') => `<${tag} data-t="${key}"${attrs}>${t(key)}</${tag}>`;
  const link = (path) => `href="${escapeHtml(withLang(path, lang, site))}" data-path="${path}"`;
  const current = (name) => (name === page ? ' aria-current="page"' : '');
  const manifest = `/akkoord/notices/${site.noticeId}/manifest.json`;
  const endpointAttr = endpoint ? ` endpoint="${escapeHtml(endpoint)}"` : '';
  const pagePath = Object.keys(PAGES).find((path) => PAGES[path] === page);
  // The customer is signed in on the account page only: there the banner and the preferences share the subject (one controller).
  const subjectAttr = page === 'account' ? ` subject="${escapeHtml(site.subject)}"` : '';

  const main = {
    home: () => `
      <section class="hero">
        ${tx('h1', 'home.h1')}
        ${tx('p', 'home.lead', ' class="lead"')}
      </section>
      <ul class="features">
        ${[1, 2, 3].map((n) => `<li>${tx('h2', `home.f${n}.title`)}${tx('p', `home.f${n}.body`)}</li>`).join('\n        ')}
      </ul>
      <aside class="demo-note" aria-labelledby="demo-title">
        ${tx('h2', 'demo.title', ' id="demo-title"')}
        ${tx('p', 'demo.p1')}
        ${tx('p', 'demo.p2')}
      </aside>`,
    privacy: () => `
      ${tx('h1', 'privacy.h1')}
      <privacy-notice notice="${manifest}" lang="${lang}" heading-level="2"></privacy-notice>`,
    account: () => `
      ${tx('h1', 'account.h1')}
      <section class="customer" aria-labelledby="signed-in">
        ${tx('h2', 'account.signed-in', ' id="signed-in"')}
        <dl>
          ${tx('dt', 'account.name-label')}${tx('dd', 'account.name')}
          ${tx('dt', 'account.id-label')}<dd><code id="subject">${escapeHtml(site.subject)}</code></dd>
        </dl>
        ${tx('p', 'account.demo-note', ' class="small"')}
      </section>
      ${tx('p', 'account.prefs.intro')}
      <consent-preferences notice="${manifest}"${subjectAttr}${endpointAttr} lang="${lang}" heading-level="2"></consent-preferences>
      ${asksConsent ? tx('p', endpoint ? 'account.sync.on' : 'account.sync.off', ' class="small"') : ''}
      <consent-history notice="${manifest}"${subjectAttr}${endpointAttr} lang="${lang}" heading-level="2"></consent-history>
      ${endpoint ? tx('p', 'account.records.demo', ' class="small"') : ''}
      <privacy-rights notice="${manifest}"${subjectAttr}${endpointAttr} lang="${lang}" heading-level="2"></privacy-rights>`,
  }[page]();

  const embedded = {
    site: site.key,
    defaultLanguage: site.defaultLanguage,
    languages: site.languages,
    texts: site.texts,
  };

  return `<!doctype html>
<html lang="${lang}" data-site="${site.key}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  ${tx('title', `title.${page}`)}
  <meta name="description" content="${t(`description.${page}`)}" data-t-content="description.${page}">
  <link rel="icon" href="/demo/favicon-${site.key}.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/demo/site.css">
  <script type="module" src="/demo/site.js"></script>
  ${page === 'account' ? '<script type="module" src="/demo/account.js"></script>\n  ' : ''}<script type="module" src="/akkoord/akkoord.min.js"></script>
  <script type="application/json" id="demo-texts">${jsonForScript(embedded)}</script>
</head>
<body>
  ${tx('a', 'skip', ' class="skip" href="#main"')}
  <div class="demo-bar">
    ${tx('span', 'demo.bar')}
    ${gated
      ? tx('span', 'marketing.waiting', ' id="marketing-status" class="badge" role="status"')
      : tx('span', 'marketing.none', ' id="marketing-status" class="badge none"')}
  </div>
  <header class="site-header">
    <a class="brand" ${link('/')}><span class="logo" aria-hidden="true">${site.key === 'gmo' ? 'G' : 'D³'}</span>${escapeHtml(site.name)}</a>
    <nav class="main-nav" aria-label="${t('nav.label')}" data-t-aria-label="nav.label">
      <ul>
        <li>${tx('a', 'nav.home', ` ${link('/')}${current('home')}`)}</li>
        <li>${tx('a', 'nav.privacy', ` ${link('/privacy')}${current('privacy')}`)}</li>
        <li>${tx('a', 'nav.account', ` ${link('/account')}${current('account')}`)}</li>
      </ul>
    </nav>
    <nav class="lang-switch" aria-label="${t('lang.label')}" data-t-aria-label="lang.label">
      <ul>
        ${site.languages
          .map((code) => {
            const name = LANGUAGE_NAMES[code];
            const href = escapeHtml(withLang(pagePath, code, site));
            // Its name begins with what it shows ("NL, Nederlands"), so a person who says what they see can follow it.
            const label = escapeHtml(`${name.short}, ${name.label}`);
            return `<li><a href="${href}" data-lang="${code}" hreflang="${code}" lang="${code}" aria-label="${label}"${code === lang ? ' aria-current="true"' : ''}>${escapeHtml(name.short)}</a></li>`;
          })
          .join('\n        ')}
      </ul>
    </nav>
  </header>
  <main id="main" tabindex="-1">${main}
  </main>
  <footer class="site-footer">
    ${tx('span', 'footer')}
  </footer>
  ${gated ? `<script type="text/plain" data-consent="${site.gatedPurpose}" src="/demo/marketing.js"></script>` : ''}
  <consent-banner notice="${manifest}"${endpointAttr}${subjectAttr} privacy-href="${escapeHtml(withLang('/privacy', lang, site))}" lang="${lang}"></consent-banner>
</body>
</html>
`;
}

/** A small page for 404 and other errors, in the site's default language and English. */
export function renderError(site, status, message) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${status} · ${escapeHtml(site.name)}</title><link rel="stylesheet" href="/demo/site.css"></head>
<body><main id="main"><h1>${status}</h1><p>${escapeHtml(message)}</p><p><a href="/">${escapeHtml(site.name)}</a></p></main></body>
</html>
`;
}
