// The demo pages' language switch: sets `lang` on <html> and on Akkoord's
// elements (they re-render when their own `lang` changes), switches the
// page's own texts, and keeps the choice in the URL (?lang=en), so a reload
// and the site's links keep it. No reload; without JavaScript the switch's
// links still work (the server renders every language).
const data = JSON.parse(document.getElementById('demo-texts').textContent);
const ELEMENTS = 'consent-banner, consent-preferences, privacy-notice, consent-history, privacy-rights, consent-embed';

const text = (lang, key) => data.texts[lang]?.[key] ?? data.texts[data.defaultLanguage]?.[key];
const urlFor = (path, lang) => (lang === data.defaultLanguage ? path : `${path}?lang=${encodeURIComponent(lang)}`);

function apply(lang) {
  document.documentElement.lang = lang;
  for (const element of document.querySelectorAll('[data-t]')) {
    const value = text(lang, element.dataset.t);
    if (value !== undefined) element.textContent = value;
  }
  for (const element of document.querySelectorAll('[data-t-content]')) {
    const value = text(lang, element.dataset.tContent);
    if (value !== undefined) element.setAttribute('content', value);
  }
  // An embed's title names its iframe and heads its placeholder.
  for (const element of document.querySelectorAll('[data-t-title]')) {
    const value = text(lang, element.dataset.tTitle);
    if (value !== undefined) element.setAttribute('title', value);
  }
  for (const element of document.querySelectorAll('[data-t-aria-label]')) {
    const value = text(lang, element.dataset.tAriaLabel);
    if (value !== undefined) element.setAttribute('aria-label', value);
  }
  for (const link of document.querySelectorAll('a[data-path]')) link.setAttribute('href', urlFor(link.dataset.path, lang));
  for (const link of document.querySelectorAll('a[data-lang]')) {
    link.setAttribute('href', urlFor(location.pathname, link.dataset.lang));
    if (link.dataset.lang === lang) link.setAttribute('aria-current', 'true');
    else link.removeAttribute('aria-current');
  }
  for (const element of document.querySelectorAll(ELEMENTS)) element.setAttribute('lang', lang);
  // The privacy page's address: a path, or on a site with two host names the other host's URL.
  for (const banner of document.querySelectorAll('consent-banner')) banner.setAttribute('privacy-href', urlFor(banner.dataset.privacyPath ?? '/privacy', lang));
}

document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-lang]') : null;
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const lang = link.dataset.lang;
  if (!data.languages.includes(lang)) return;
  event.preventDefault();
  apply(lang);
  const url = new URL(location.href);
  if (lang === data.defaultLanguage) url.searchParams.delete('lang');
  else url.searchParams.set('lang', lang);
  history.replaceState(history.state, '', url);
});
