// Klaro 0.7 as its README and annotated dist/config.js set it up: a global klaroConfig, loaded
// (deferred) before klaro.js. One service per consent purpose of the GMO Registry notice, grouped by
// purpose, in Dutch (Klaro's own Dutch strings, with our title and purpose texts).
var klaroConfig = {
  version: 1,
  lang: 'nl',
  storageMethod: 'cookie',
  cookieName: 'klaro',
  cookieExpiresAfterDays: 365,
  default: false,
  mustConsent: false,
  acceptAll: true,
  hideDeclineAll: false,
  groupByPurpose: true,
  showNoticeTitle: true,
  translations: {
    zz: { privacyPolicyUrl: '/privacy' },
    nl: {
      consentNotice: {
        title: 'Uw privacy',
        description:
          'GMO Registry, Inc. in Tokio is een registry voor internetdomeinnamen. We gebruiken uw persoonsgegevens om onze diensten te leveren. ' +
          'Met uw toestemming sturen we u ook: {purposes}. U kunt uw toestemming op elk moment intrekken.',
        learnMore: 'Kiezen',
      },
      ok: 'Alles accepteren',
      decline: 'Alles weigeren',
      purposes: {
        marketing: { title: 'Nieuws en aanbiedingen per e-mail', description: 'Met uw toestemming sturen we u per e-mail nieuws en aanbiedingen over de diensten van GMO Registry. Elke e-mail bevat een afmeldlink.' },
        seminars: { title: 'Aankondigingen van seminars', description: 'Met uw toestemming sturen we u per e-mail aankondigingen en uitnodigingen voor seminars van GMO Registry. Elke e-mail bevat een afmeldlink.' },
        features: { title: 'Aankondigingen van nieuwe functies', description: 'Met uw toestemming sturen we u per e-mail berichten over nieuwe functies waarvan we denken dat ze u interesseren. Elke e-mail bevat een afmeldlink.' },
      },
      nieuwsbrief: { title: 'Nieuwsbrief', description: 'Nieuws en aanbiedingen per e-mail.' },
      seminarmail: { title: 'Seminarmail', description: 'Aankondigingen van seminars per e-mail.' },
      functiemail: { title: 'Functiemail', description: 'Aankondigingen van nieuwe functies per e-mail.' },
    },
  },
  services: [
    { name: 'nieuwsbrief', purposes: ['marketing'] },
    { name: 'seminarmail', purposes: ['seminars'] },
    { name: 'functiemail', purposes: ['features'] },
  ],
};
