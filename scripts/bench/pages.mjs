// The benchmark's pages (/bench/<system>/) from one host-page skeleton, so
// every system sits in the same page and only its own tags differ. The
// benchmark's server writes them afresh on every start (writePages), into
// bench/out/pages/, so they are not kept in git. What a peer's page loads
// besides its library (its configuration script, written as the peer's own
// documentation says) is hand-written and kept in git in peers/<system>/;
// the server serves both folders under /bench/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the pages are written: build output, not source. */
export const PAGES_DIR = fileURLToPath(new URL('../../bench/out/pages/', import.meta.url));
/** The peers' hand-written configuration scripts, served beside their pages. */
export const PEERS_DIR = fileURLToPath(new URL('peers/', import.meta.url));

/** The same registrar page around every banner. */
const page = ({ title, head = '', body = '' }) => `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Voorbeeld-registrar · ${title}</title>
<style>
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1f2328; background: #fff; }
header { background: #0b3d91; color: #fff; padding: 1rem 2rem; }
main { max-width: 46rem; padding: 1rem 2rem; }
</style>
${head}</head>
<body>
<header><strong>Voorbeeld-registrar</strong></header>
<main>
<h1>Uw domeinnaam registreren</h1>
<p>Zoek een vrije domeinnaam, registreer hem voor een of meer jaren en beheer uw DNS-instellingen op één plek.</p>
<p>Benchmarkpagina: ${title}.</p>
</main>
${body}</body>
</html>
`;

export const PAGES_BY_SYSTEM = {
  // Ours: the one script tag and the banner, pointing straight at the Dutch first-layer file
  // (not the manifest: that saves a round trip; README's embedding names the manifest).
  akkoord: page({
    title: 'Akkoord &lt;consent-banner&gt;',
    head: '<script type="module" src="/akkoord/akkoord.min.js"></script>\n',
    body: '<consent-banner notice="/data/gmo-registry/first-layer.nl.json" lang="nl" privacy-href="/privacy"></consent-banner>\n',
  }),
  // cookieconsent.orestbida.com, "Getting started", HTML: the stylesheet in <head>, a module that
  // imports the UMD build and calls CookieConsent.run(config).
  'vanilla-cookieconsent': page({
    title: 'vanilla-cookieconsent 3.1',
    head: '<link rel="stylesheet" href="/node_modules/vanilla-cookieconsent/dist/cookieconsent.css">\n',
    body: '<script type="module" src="/bench/vanilla-cookieconsent/cookieconsent-config.js"></script>\n',
  }),
  // klaro README, "Getting started": the config first, then klaro.js (styles included), both deferred.
  klaro: page({
    title: 'Klaro 0.7',
    head:
      '<script defer type="text/javascript" src="/bench/klaro/config.js"></script>\n' +
      '<script defer type="text/javascript" src="/node_modules/klaro/dist/klaro.js"></script>\n',
  }),
  // tarteaucitron README, "How to use": the script, then tarteaucitron.init(...); custom services per
  // "Create custom service", pushed to tarteaucitron.job. The minified build (it then loads the
  // minified language file, services and CSS itself, from its own folder).
  tarteaucitron: page({
    title: 'tarteaucitron 1.34',
    head:
      '<script src="/node_modules/tarteaucitronjs/tarteaucitron.min.js"></script>\n' +
      '<script src="/bench/tarteaucitron/init.js"></script>\n',
  }),
  // Osano's download wizard: the stylesheet, the script, initialise() on window load.
  osano: page({
    title: 'Osano cookieconsent 3.1',
    head: '<link rel="stylesheet" type="text/css" href="/node_modules/cookieconsent/build/cookieconsent.min.css">\n',
    body:
      '<script src="/node_modules/cookieconsent/build/cookieconsent.min.js"></script>\n' +
      '<script src="/bench/osano/init.js"></script>\n',
  }),
  // The floor: a banner in the page itself, no library.
  control: page({
    title: 'control: static HTML banner',
    body: `<style>
#bb { position: fixed; inset: auto 0 0 0; max-width: 60rem; margin: 0 auto; box-sizing: border-box; padding: 1rem;
  background: #fff; border: 1px solid #d0d7de; border-bottom: 0; border-radius: 8px 8px 0 0; box-shadow: 0 -2px 12px rgb(0 0 0 / .2); font-size: .9375em; }
#bb h2 { font-size: 1.25em; margin: 0 0 .5em; }
#bb .a { display: flex; gap: .5rem; flex-wrap: wrap; }
#bb button { font: inherit; padding: .5em 1em; border: 0; border-radius: 6px; background: #0550ae; color: #fff; cursor: pointer; }
</style>
<section id="bb" aria-labelledby="bb-t">
<h2 id="bb-t">Uw privacy</h2>
<p>GMO Registry, Inc. gebruikt uw persoonsgegevens om zijn diensten te leveren. Met uw toestemming sturen we u ook:</p>
<ul><li>Nieuws en aanbiedingen per e-mail</li><li>Aankondigingen van seminars</li><li>Aankondigingen van nieuwe functies</li></ul>
<p>U kunt uw toestemming op elk moment intrekken. <a href="/privacy">Privacyverklaring</a></p>
<div class="a"><button id="bb-accept" type="button">Alles accepteren</button><button id="bb-reject" type="button">Alles weigeren</button><button id="bb-choose" type="button">Kiezen</button></div>
</section>
<script>
(function () {
  function decide(value) {
    document.cookie = 'bench_consent=' + value + '; max-age=31536000; path=/; SameSite=Lax';
    document.getElementById('bb').hidden = true;
  }
  document.getElementById('bb-accept').onclick = function () { decide('marketing.seminars.features'); };
  document.getElementById('bb-reject').onclick = function () { decide('none'); };
})();
</script>
`,
  }),
};

/** Writes every system's page to PAGES_DIR/<system>/index.html. */
export function writePages() {
  for (const [system, html] of Object.entries(PAGES_BY_SYSTEM)) {
    mkdirSync(`${PAGES_DIR}${system}`, { recursive: true });
    writeFileSync(`${PAGES_DIR}${system}/index.html`, html);
  }
}
