// The systems the browser benchmark compares: where each page is, how to find its *accept all*
// button (one selector per shadow root), and how to tell that the choice was stored.
// `persisted` runs inside the page (serialized), so it must not close over anything.

/**
 * How every page of ours is measured. IndexedDB cannot be read synchronously: consent-change is
 * dispatched once the write transaction has completed (controller #write awaits it); the record is
 * read back afterwards.
 */
const ourBanner = {
  package: '@akkoord/elements',
  accept: ['consent-banner', '[part="accept-button"]'],
  event: 'consent-change',
  persisted: () => false,
  stores: 'IndexedDB, as Akkoord',
};

/** Three consent purposes, in every system. */
export const SYSTEMS = [
  {
    ...ourBanner,
    id: 'akkoord',
    label: 'Akkoord `<consent-banner>`',
    kind: 'ours',
    path: '/bench/akkoord/',
    stores: 'IndexedDB `akkoord`/`consent`, key `record:gmo-registry:<subject>` (consent-change fires after the transaction completes; the record is read back after each run)',
  },
  // An experiment (`--variants`), not part of the comparison: the same page with preload hints
  // (scripts/bench/server.mjs builds it from the snapshot of the build).
  { ...ourBanner, id: 'akkoord-preload', label: 'Akkoord, page with preload hints (experiment)', kind: 'variant', path: '/bench/akkoord-preload/' },
  // Another build of ours (`--baseline <dir>`), for before/after figures from one run.
  { ...ourBanner, id: 'akkoord-baseline', label: 'Akkoord, baseline build', kind: 'variant', path: '/bench/akkoord-baseline/' },
  {
    id: 'vanilla-cookieconsent',
    label: 'vanilla-cookieconsent',
    kind: 'peer',
    path: '/bench/vanilla-cookieconsent/',
    package: 'vanilla-cookieconsent',
    accept: ['#cc-main .cm [data-role="all"]'],
    persisted: () => {
      const m = /(?:^|;\s*)cc_cookie=([^;]*)/.exec(document.cookie);
      if (!m) return false;
      const value = JSON.parse(decodeURIComponent(m[1]));
      return ['marketing', 'seminars', 'features'].every((c) => value.categories.includes(c));
    },
    stores: 'cookie `cc_cookie` (JSON; categories include the three purposes)',
  },
  {
    id: 'klaro',
    label: 'Klaro',
    kind: 'peer',
    path: '/bench/klaro/',
    package: 'klaro',
    accept: ['.klaro .cookie-notice .cm-btn-success'],
    persisted: () => {
      const m = /(?:^|;\s*)klaro=([^;]*)/.exec(document.cookie);
      if (!m) return false;
      const value = JSON.parse(decodeURIComponent(m[1]));
      return value.nieuwsbrief === true && value.seminarmail === true && value.functiemail === true;
    },
    stores: 'cookie `klaro` (JSON; the three services true)',
  },
  {
    id: 'tarteaucitron',
    label: 'tarteaucitron',
    kind: 'peer',
    path: '/bench/tarteaucitron/',
    package: 'tarteaucitronjs',
    accept: ['#tarteaucitronAlertBig #tarteaucitronPersonalize2'],
    // It attaches the buttons' click handlers 500 ms after building the banner ("a little timeout
    // to be sure everything is accessible"); a click before then does nothing.
    clickNotBeforeMs: 600,
    persisted: () => {
      const m = /(?:^|;\s*)tarteaucitron=([^;]*)/.exec(document.cookie);
      if (!m) return false;
      const value = decodeURIComponent(m[1]);
      return ['gmo_marketing', 'gmo_seminars', 'gmo_features'].every((s) => value.includes(`!${s}=true`));
    },
    stores: 'cookie `tarteaucitron` (`!service=true` for the three services)',
  },
  {
    id: 'osano',
    label: 'Osano cookieconsent',
    kind: 'peer',
    path: '/bench/osano/',
    package: 'cookieconsent',
    accept: ['.cc-window .cc-allow'],
    persisted: () => /(?:^|;\s*)cookieconsent_status=allow(?:;|$)/.test(document.cookie),
    stores: 'cookie `cookieconsent_status=allow`',
  },
  {
    id: 'control',
    label: 'control: static HTML, no library',
    kind: 'control',
    path: '/bench/control/',
    package: null,
    accept: ['#bb-accept'],
    persisted: () => /(?:^|;\s*)bench_consent=marketing\.seminars\.features(?:;|$)/.test(document.cookie),
    stores: 'cookie `bench_consent`',
  },
];

/** Playwright's CSS engine pierces open shadow roots: one selector for the click. */
export const clickSelector = (system) => system.accept.join(' ');
