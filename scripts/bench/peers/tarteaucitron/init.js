// tarteaucitron 1.34 as its README ("How to use", "Create custom service", "Customize text") sets it
// up: the three consent purposes of the GMO Registry notice as custom services, the Dutch texts it
// ships (lang/tarteaucitron.nl, picked from <html lang="nl">) with our first-layer text, init().
var tarteaucitronCustomText = {
  alertBigPrivacy:
    'GMO Registry, Inc. in Tokio is een registry voor internetdomeinnamen. We gebruiken uw persoonsgegevens om onze diensten te leveren. ' +
    'Met uw toestemming sturen we u ook nieuws en aanbiedingen per e-mail, aankondigingen van seminars en aankondigingen van nieuwe functies. ' +
    'U kunt uw toestemming op elk moment intrekken.',
  acceptAll: 'Alles accepteren',
  denyAll: 'Alles weigeren',
  personalize: 'Kiezen',
  middleBarHead: 'Uw privacy',
};

tarteaucitron.init({
  privacyUrl: '/privacy',
  bodyPosition: 'bottom',
  hashtag: '#tarteaucitron',
  cookieName: 'tarteaucitron',
  orientation: 'bottom',
  groupServices: false,
  showDetailsOnClick: true,
  serviceDefaultState: 'wait',
  showAlertSmall: false,
  showTitleBanner: true,
  cookieslist: false,
  showIcon: true,
  iconPosition: 'BottomRight',
  adblocker: false,
  DenyAllCta: true,
  AcceptAllCta: true,
  highPrivacy: true,
  alwaysNeedConsent: false,
  handleBrowserDNTRequest: false,
  removeCredit: false,
  moreInfoLink: true,
  useExternalCss: false,
  useExternalJs: false,
  mandatory: true,
  mandatoryCta: true,
  googleConsentMode: false,
  bingConsentMode: false,
  pianoConsentMode: false,
  softConsentMode: false,
  dataLayer: false,
  serverSide: false,
  partnersList: false,
});

[
  ['gmo_marketing', 'Nieuws en aanbiedingen per e-mail'],
  ['gmo_seminars', 'Aankondigingen van seminars'],
  ['gmo_features', 'Aankondigingen van nieuwe functies'],
].forEach(function (service) {
  tarteaucitron.services[service[0]] = {
    key: service[0],
    type: 'other',
    name: service[1],
    needConsent: true,
    cookies: [],
    readmoreLink: '/privacy',
    js: function () {},
    fallback: function () {},
  };
  (tarteaucitron.job = tarteaucitron.job || []).push(service[0]);
});
