// An app that installed @akkoord/elements from npm and builds with Vite:
// the define module registers <consent-banner>, the rest is the DOM.
import '@akkoord/elements/consent-banner.js';

const banner = document.createElement('consent-banner');
banner.notice = '/akkoord/notices/gmo-registry/manifest.json';
banner.privacyHref = '/privacy';
banner.addEventListener('consent-change', (event) => {
  document.querySelector('#status')!.textContent = `marketing: ${event.decisions.marketing ?? 'not decided'}`;
});
document.body.append(banner);
