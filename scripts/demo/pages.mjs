// The demo sites' HTML pages: home (with the banner), privacy (the full
// notice) and account (a signed-in demo customer's consent preferences,
// consent history and privacy rights). A site with two host names
// (`site.hosts`) links across them with absolute URLs; a site with
// `consentMode` loads the Consent Mode adapter first and shows what it told
// the tags, and the page's cookies.
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

/** The host (`www` or `account`) that serves a page of a site with two host names. */
export const hostOf = (page) => (page === 'account' ? 'account' : 'www');

/**
 * Where a page of the site lives: its path, or for a site with two host
 * names the absolute URL on the host that serves it.
 */
export function pageUrl(site, path, origins) {
  return site.hosts ? `${origins[hostOf(PAGES[path])]}${path}` : path;
}

/**
 * @param {object} options
 * @param {object} options.site          an entry of SITES
 * @param {'home'|'privacy'|'account'} options.page
 * @param {{ www: string, account: string }} [options.origins]  for a site with two host names: each host's origin
 * @param {string} options.lang          one of site.languages
 * @param {string|undefined} options.endpoint  the receiver's URL, when it runs
 * @param {boolean} options.gated        whether the notice has the site's gated consent purpose
 * @param {boolean} options.asksConsent  whether the notice has any consent purpose (else no receipt is ever sent)
 */
export function renderPage({ site, page, lang, endpoint, gated, asksConsent, origins }) {
  const texts = site.texts[lang];
  const t = (key) => {
    if (!(key in texts)) throw new Error(`demo text "${key}" is missing in ${site.key}/${lang}`);
    return escapeHtml(texts[key]);
  };
  /** An element whose text site.js switches with the language. */
  const tx = (tag, key, attrs = '') => `<${tag} data-t="${key}"${attrs}>${t(key)}</${tag}>`;
  const link = (path) => {
    const url = pageUrl(site, path, origins);
    return `href="${escapeHtml(withLang(url, lang, site))}" data-path="${escapeHtml(url)}"`;
  };
  const privacyUrl = pageUrl(site, '/privacy', origins);
  const current = (name) => (name === page ? ' aria-current="page"' : '');
  const manifest = `/akkoord/notices/${site.noticeId}/manifest.json`;
  const endpointAttr = endpoint ? ` endpoint="${escapeHtml(endpoint)}"` : '';
  const pagePath = Object.keys(PAGES).find((path) => PAGES[path] === page);
  // The customer is signed in on the account page only: there the banner and the preferences share the subject (one controller).
  const subjectAttr = page === 'account' ? ` subject="${escapeHtml(site.subject)}"` : '';
  // Attributes every consent element of the page shares: the receiver, and for a site on several hosts the domain whose hosts share one decision.
  const sharedAttrs = `${endpointAttr}${site.cookieDomain ? ` cookie-domain="${escapeHtml(site.cookieDomain)}"` : ''}`;
  const panels = site.consentMode ? renderPanels(tx) : '';

  const main = {
    home: () => `
      <section class="hero">
        ${tx('h1', 'home.h1')}
        ${tx('p', 'home.lead', ' class="lead"')}
      </section>
      <ul class="features">
        ${[1, 2, 3].map((n) => `<li>${tx('h2', `home.f${n}.title`)}${tx('p', `home.f${n}.body`)}</li>`).join('\n        ')}
      </ul>
      ${site.consentMode ? renderVideo({ t, tx, attrs: ` notice="${manifest}"${sharedAttrs} lang="${lang}"` }) : ''}
      <aside class="demo-note" aria-labelledby="demo-title">
        ${tx('h2', 'demo.title', ' id="demo-title"')}
        ${tx('p', 'demo.p1')}
        ${tx('p', 'demo.p2')}
        ${['demo.p3', 'demo.p4'].filter((key) => key in texts).map((key) => tx('p', key)).join('\n        ')}
      </aside>${panels}`,
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
      <consent-preferences notice="${manifest}"${subjectAttr}${sharedAttrs} lang="${lang}" heading-level="2"></consent-preferences>
      ${asksConsent ? tx('p', endpoint ? 'account.sync.on' : 'account.sync.off', ' class="small"') : ''}${panels}
      <consent-history notice="${manifest}"${subjectAttr}${sharedAttrs} lang="${lang}" heading-level="2"></consent-history>
      ${endpoint ? tx('p', 'account.records.demo', ' class="small"') : ''}
      <privacy-rights notice="${manifest}"${subjectAttr}${sharedAttrs} lang="${lang}" heading-level="2"></privacy-rights>`,
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
  ${site.consentMode
    ? // Google Consent Mode's default goes before any tag; the recorder after it stands in for Google's tag and shows what it was told.
      '<script src="/akkoord/consent-mode.min.js" data-wait-for-update="500"></script>\n  <script src="/demo/consent-mode-log.js"></script>\n  '
    : ''}  ${tx('title', `title.${page}`)}
  <meta name="description" content="${t(`description.${page}`)}" data-t-content="description.${page}">
  <link rel="icon" href="/demo/favicon-${site.key}.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/demo/site.css">
  <script type="module" src="/demo/site.js"></script>
  ${page === 'account' ? '<script type="module" src="/demo/account.js"></script>\n  ' : ''}${panels ? '<script type="module" src="/demo/cookie-panel.js"></script>\n  ' : ''}<script type="module" src="/akkoord/akkoord.min.js"></script>
  <script type="application/json" id="demo-texts">${jsonForScript(embedded)}</script>
</head>
<body>
  ${tx('a', 'skip', ' class="skip" href="#main"')}
  <header>
  <!-- The demo bar is part of the page's banner landmark, so that no text of the page is outside a landmark. -->
  <div class="demo-bar">
    ${tx('span', 'demo.bar')}
    ${gated
      ? tx('span', 'marketing.waiting', ' id="marketing-status" class="badge" role="status"')
      : tx('span', 'marketing.none', ' id="marketing-status" class="badge none"')}
  </div>
  <div class="site-header">
    <a class="brand" ${link('/')}><span class="logo" aria-hidden="true">${escapeHtml(site.logo)}</span>${escapeHtml(site.name)}</a>
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
  </div>
  </header>
  <main id="main" tabindex="-1">${main}
  </main>
  <footer class="site-footer">
    ${tx('span', 'footer')}
  </footer>
  ${gated ? `<script type="text/plain" data-consent="${site.gatedPurpose}" src="${site.gatedScript ?? '/demo/marketing.js'}"></script>` : ''}
  <consent-banner notice="${manifest}"${sharedAttrs}${subjectAttr} privacy-href="${escapeHtml(withLang(privacyUrl, lang, site))}" data-privacy-path="${escapeHtml(privacyUrl)}" lang="${lang}"></consent-banner>
</body>
</html>
`;
}

/**
 * The home page's video, for the notice's "video" purpose: `<consent-embed>`
 * shows a placeholder and creates the iframe only with consent. The player
 * is the demo's own page (public/video/), so nothing leaves the computer;
 * a registrar's would be the video platform's embed address.
 */
function renderVideo({ t, tx, attrs }) {
  return `<section class="video" aria-labelledby="video-title">
        ${tx('h2', 'video.heading', ' id="video-title"')}
        <consent-embed${attrs} purpose="video" embed-src="/demo/video/domeinnaam-verhuizen.html" provider="YouTube (Google)" title="${t('video.title')}" data-t-title="video.title" width="640" height="360"></consent-embed>
      </section>`;
}

/**
 * Two panels for a person who wants to see what happens: what the Consent
 * Mode adapter told the tags (public/consent-mode-log.js fills it), and the
 * page's cookies (public/cookie-panel.js).
 */
function renderPanels(tx) {
  return `
      <div class="demo-panels">
        <section class="panel" aria-labelledby="consent-mode-title">
          ${tx('h2', 'panel.cm.title', ' id="consent-mode-title"')}
          ${tx('p', 'panel.cm.intro', ' class="small"')}
          <div role="log" aria-labelledby="consent-mode-title">
            ${tx('p', 'panel.cm.empty', ' id="consent-mode-empty"')}
            <ol id="consent-mode-log" class="log"></ol>
          </div>
        </section>
        <section class="panel" aria-labelledby="cookies-title">
          ${tx('h2', 'panel.cookies.title', ' id="cookies-title"')}
          ${tx('p', 'panel.cookies.intro', ' class="small"')}
          ${tx('p', 'panel.cookies.none', ' id="cookies-none"')}
          <ul id="cookie-list" class="cookies"></ul>
        </section>
      </div>`;
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
