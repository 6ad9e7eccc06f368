// The demo registrar sites of `npm start`, one per launch notice and a third,
// fictional registrar's, and their page texts. Every text exists in every
// language of its site; the page switches between them without a reload
// (public/site.js).
//
// Dutch is formal ("u"). The D-Cube site is Belgian: its nl-BE texts use
// Belgian wording ("u kan", "verwittigen", "klantenzone"), its nl texts the
// wording of the Netherlands.

const common = {
  en: {
    skip: 'Skip to content',
    'nav.label': 'Main menu',
    'nav.home': 'Home',
    'nav.privacy': 'Privacy',
    'nav.account': 'My account',
    'lang.label': 'Language',
    'marketing.waiting': 'Marketing script: waiting for consent',
    'marketing.ran': 'Marketing script ran',
    'marketing.none': 'No consent purposes in this notice',
    'demo.title': 'About this demo',
    'account.h1': 'My account',
    'account.signed-in': 'Signed in as',
    'account.name-label': 'Name',
    'account.name': 'Demo customer',
    'account.id-label': 'Customer ID',
    'account.demo-note': 'Demo: there is no real sign-in. This page acts as if you were signed in as this customer.',
    'account.sync.on': 'Every choice is sent as a receipt to this demo’s receiver, which stores it and countersigns it.',
    'account.sync.off': 'This demo’s receiver is not running: your choices are kept in this browser only.',
    'account.records.demo':
      'Demo: this page signs in to the receiver with a demo token for this customer, to read your history there.',
  },
  nl: {
    skip: 'Naar de inhoud',
    'nav.label': 'Hoofdmenu',
    'nav.home': 'Home',
    'nav.privacy': 'Privacy',
    'nav.account': 'Mijn account',
    'lang.label': 'Taal',
    'marketing.waiting': 'Marketingscript: wacht op toestemming',
    'marketing.ran': 'Marketingscript uitgevoerd',
    'marketing.none': 'Geen doelen met toestemming in deze verklaring',
    'demo.title': 'Over deze demo',
    'account.h1': 'Mijn account',
    'account.signed-in': 'Aangemeld als',
    'account.name-label': 'Naam',
    'account.name': 'Demoklant',
    'account.id-label': 'Klantnummer',
    'account.demo-note': 'Demo: er is geen echte aanmelding. Deze pagina doet alsof u bent aangemeld als deze klant.',
    'account.sync.on': 'Elke keuze gaat als ontvangstbewijs naar de ontvanger van deze demo, die het bewaart en ondertekent.',
    'account.sync.off': 'De ontvanger van deze demo draait niet: uw keuzes worden alleen in deze browser bewaard.',
    'account.records.demo':
      'Demo: deze pagina meldt zich bij de ontvanger aan met een demotoken voor deze klant, om daar uw geschiedenis te lezen.',
  },
};

const gmoTexts = {
  en: {
    ...common.en,
    'title.home': 'GMO Registry: domain names for brands, shops and cities',
    'title.privacy': 'Privacy notice · GMO Registry',
    'title.account': 'My account · GMO Registry',
    'description.home':
      'GMO Registry runs top-level domains such as .shop and .tokyo. A demo site of Akkoord, the consent banner and privacy notice for registrars.',
    'description.privacy': 'How GMO Registry uses your personal data, on which legal basis, and what your rights are.',
    'description.account': 'Your email choices, your consent history and your privacy rights at GMO Registry.',
    'demo.bar': 'Akkoord demo site: not the real GMO Registry website.',
    'home.h1': 'Domain names for brands, shops and cities',
    'home.lead':
      'GMO Registry runs top-level domains such as .shop and .tokyo, and helps companies get an extension of their own. You register a domain name through one of our accredited registrars.',
    'home.f1.title': '.shop for online stores',
    'home.f1.body': 'A short, recognisable name that says at once what you do.',
    'home.f2.title': 'Cities',
    'home.f2.body': '.tokyo, .nagoya and .yokohama, for businesses and people with ties to their city.',
    'home.f3.title': 'Seminars',
    'home.f3.body':
      'We regularly hold seminars on domain names and brand protection. Would you like an invitation? You can choose that under My account.',
    'demo.p1':
      'The consent banner is at the bottom of the page. The marketing script of this site waits for your consent to “News and offers by email”: give it, and the script runs at once, without a reload, and the badge at the top says “Marketing script ran”.',
    'demo.p2': 'You can change your choice at any time with the “Privacy settings” button, or on the My account page.',
    'privacy.h1': 'Privacy notice',
    'account.prefs.intro': 'Choose which emails you would like to receive from us. You can change your choice at any time.',
    footer: 'GMO Registry · Akkoord demo site',
  },
  nl: {
    ...common.nl,
    'title.home': 'GMO Registry: domeinnamen voor merken, winkels en steden',
    'title.privacy': 'Privacyverklaring · GMO Registry',
    'title.account': 'Mijn account · GMO Registry',
    'description.home':
      'GMO Registry beheert topleveldomeinen zoals .shop en .tokyo. Een demosite van Akkoord, de toestemmingsbanner en privacyverklaring voor registrars.',
    'description.privacy': 'Hoe GMO Registry uw persoonsgegevens gebruikt, op welke rechtsgrond, en welke rechten u hebt.',
    'description.account': 'Uw keuzes voor e-mail, uw toestemmingsgeschiedenis en uw privacyrechten bij GMO Registry.',
    'demo.bar': 'Demosite van Akkoord: niet de echte website van GMO Registry.',
    'home.h1': 'Domeinnamen voor merken, winkels en steden',
    'home.lead':
      'GMO Registry beheert topleveldomeinen zoals .shop en .tokyo en helpt bedrijven aan een eigen extensie. Een domeinnaam registreert u via een van onze erkende registrars.',
    'home.f1.title': '.shop voor webwinkels',
    'home.f1.body': 'Een korte, herkenbare naam die meteen zegt wat u doet.',
    'home.f2.title': 'Steden',
    'home.f2.body': '.tokyo, .nagoya en .yokohama, voor bedrijven en mensen met een band met hun stad.',
    'home.f3.title': 'Seminars',
    'home.f3.body':
      'Wij organiseren regelmatig seminars over domeinnamen en merkbescherming. Wilt u een uitnodiging ontvangen? Dat kiest u onder Mijn account.',
    'demo.p1':
      'Onder aan de pagina staat de toestemmingsbanner. Het marketingscript van deze site wacht op uw toestemming voor ‘Nieuws en aanbiedingen per e-mail’: geeft u die, dan draait het script meteen, zonder dat de pagina opnieuw laadt, en staat er bovenaan ‘Marketingscript uitgevoerd’.',
    'demo.p2': 'U kunt uw keuze altijd wijzigen met de knop ‘Privacy-instellingen’ of op de pagina Mijn account.',
    'privacy.h1': 'Privacyverklaring',
    'account.prefs.intro': 'Kies welke e-mails u van ons wilt ontvangen. U kunt uw keuze altijd wijzigen.',
    footer: 'GMO Registry · demosite van Akkoord',
  },
};

const dcubeNlBE = {
  ...common.nl,
  'title.home': 'D-Cube Resource: uw domeinnaam, goed geregeld',
  'title.privacy': 'Privacybeleid · D-Cube Resource',
  'title.account': 'Mijn account · D-Cube Resource',
  'description.home':
    'D-Cube Resource registreert en beheert domeinnamen zoals .be, .eu en .brussels. Een demosite van Akkoord, toestemming en privacy voor registrars.',
  'description.privacy': 'Hoe D-Cube Resource uw persoonsgegevens gebruikt, op welke rechtsgrond, en welke rechten u hebt.',
  'description.account': 'Waarvoor D-Cube Resource uw gegevens gebruikt, en welke privacyrechten u hebt.',
  'demo.bar': 'Demosite van Akkoord: niet de echte website van D-Cube Resource.',
  'home.h1': 'Uw domeinnaam, goed geregeld',
  'home.lead':
    'D-Cube Resource registreert en beheert domeinnamen voor bedrijven en particulieren: .be, .eu, .brussels, .vlaanderen en vele andere extensies.',
  'home.f1.title': 'Registreren en verhuizen',
  'home.f1.body': 'Een nieuwe domeinnaam staat binnen enkele minuten online; een verhuis naar ons regelen wij voor u.',
  'home.f2.title': 'DNS en doorsturen',
  'home.f2.body': 'U beheert uw DNS-records en e-mailadressen zelf, in uw klantenzone.',
  'home.f3.title': 'Hernieuwing op tijd',
  'home.f3.body': 'Wij verwittigen u ruim voor uw domeinnaam vervalt, zodat u hem nooit kwijtraakt.',
  'demo.p1':
    'Dit privacybeleid vraagt geen toestemming: elk doel steunt op een andere rechtsgrond, zoals de uitvoering van uw contract of een wettelijke verplichting. Daarom wacht er op deze site geen script op toestemming, en stelt de banner u geen vraag.',
  'demo.p2': 'Via de knop ‘Privacy-instellingen’ en op de pagina Mijn account kan u nalezen waarvoor uw gegevens gebruikt worden.',
  'privacy.h1': 'Privacybeleid',
  'account.prefs.intro': 'Hier ziet u waarvoor wij uw gegevens gebruiken, en op welke rechtsgrond.',
  footer: 'D-Cube Resource · demosite van Akkoord',
};

const dcubeTexts = {
  en: {
    ...common.en,
    'title.home': 'D-Cube Resource: your domain name, well looked after',
    'title.privacy': 'Privacy policy · D-Cube Resource',
    'title.account': 'My account · D-Cube Resource',
    'description.home':
      'D-Cube Resource registers and manages domain names such as .be, .eu and .brussels. A demo site of Akkoord, consent and privacy for registrars.',
    'description.privacy': 'How D-Cube Resource uses your personal data, on which legal basis, and what your rights are.',
    'description.account': 'What D-Cube Resource uses your data for, and what your privacy rights are.',
    'demo.bar': 'Akkoord demo site: not the real D-Cube Resource website.',
    'home.h1': 'Your domain name, well looked after',
    'home.lead':
      'D-Cube Resource registers and manages domain names for businesses and individuals: .be, .eu, .brussels, .vlaanderen and many other extensions.',
    'home.f1.title': 'Registration and transfers',
    'home.f1.body': 'A new domain name is online within minutes; we take care of transfers to us.',
    'home.f2.title': 'DNS and forwarding',
    'home.f2.body': 'You manage your DNS records and email addresses yourself, in your customer area.',
    'home.f3.title': 'Renewal on time',
    'home.f3.body': 'We let you know well before your domain name expires, so you never lose it.',
    'demo.p1':
      'This privacy policy asks for no consent: every purpose rests on another legal basis, such as the performance of your contract or a legal obligation. So no script on this site waits for consent, and the banner asks you nothing.',
    'demo.p2': 'The “Privacy settings” button and the My account page show what your data is used for.',
    'privacy.h1': 'Privacy policy',
    'account.prefs.intro': 'This is what we use your data for, and on which legal basis.',
    footer: 'D-Cube Resource · Akkoord demo site',
  },
  'nl-BE': dcubeNlBE,
  // Dutch as written in the Netherlands, for readers who choose "Nederlands".
  nl: {
    ...dcubeNlBE,
    'home.f1.body': 'Een nieuwe domeinnaam staat binnen enkele minuten online; een verhuizing naar ons regelen wij voor u.',
    'home.f2.body': 'U beheert uw DNS-records en e-mailadressen zelf, in uw klantomgeving.',
    'home.f3.body': 'Wij waarschuwen u ruim voordat uw domeinnaam verloopt, zodat u hem nooit kwijtraakt.',
    'demo.p2': 'Met de knop ‘Privacy-instellingen’ en op de pagina Mijn account kunt u nalezen waarvoor uw gegevens worden gebruikt.',
  },
};

// Duinweg Domeinen: a fictional small Dutch registrar (its notice is
// scripts/demo/notices/duinweg-domeinen.json), whose site runs what a
// registrar's site runs besides the banner: a statistics script, Google
// Consent Mode, an embedded video, and two hosts (www and account) that share
// one decision.
const duinwegTexts = {
  en: {
    ...common.en,
    'title.home': 'Duinweg Domeinen: domain names from the coast',
    'title.privacy': 'Privacy notice · Duinweg Domeinen',
    'title.account': 'My account · Duinweg Domeinen',
    'description.home':
      'Duinweg Domeinen, a fictional Dutch registrar: a demo site of Akkoord with statistics, Consent Mode, a video and two hosts.',
    'description.privacy': 'How Duinweg Domeinen uses your personal data, which cookies it sets, and what your rights are.',
    'description.account': 'Your choices for statistics, videos and email, your consent history and your privacy rights at Duinweg Domeinen.',
    'demo.bar': 'Akkoord demo site: Duinweg Domeinen is a fictional registrar.',
    'marketing.waiting': 'Statistics script: waiting for consent',
    'marketing.ran': 'Statistics script ran',
    'home.h1': 'Domain names from the coast',
    'home.lead':
      'Duinweg Domeinen registers and manages domain names for businesses and individuals: .nl, .eu, .frl and many other extensions, with Dutch-speaking support.',
    'home.f1.title': 'Registration and transfers',
    'home.f1.body': 'A new domain name is online within minutes; we arrange your transfer to us.',
    'home.f2.title': 'DNS in your own hands',
    'home.f2.body': 'Manage your DNS records and forwarding yourself, on account.duinweg.localhost.',
    'home.f3.title': 'No surprises',
    'home.f3.body': 'We remind you well before a domain name expires, and renewals cost what they cost last year.',
    'video.heading': 'Explained on video',
    'video.title': 'How to transfer your domain name',
    'demo.p1':
      'The statistics script of this site waits for your consent to “Website statistics”: give it, and the script runs at once and sets its two cookies (_ga and _ga_…) on duinweg.localhost, shown in the cookie panel below. Withdraw it, and Akkoord deletes them.',
    'demo.p2':
      'Google Consent Mode is told every choice: the panel below lists what the tags on this page heard, the default before anything else ran and an update for every decision. No Google code runs here and nothing leaves your computer.',
    'demo.p3':
      'The video above loads only with your consent to “Videos from YouTube”: “Load once” shows it for this page view and records nothing, “Always allow” gives your consent. The player is the demo’s own stand-in: nothing goes to YouTube.',
    'demo.p4':
      'My account is on a second host name, account.duinweg.localhost. Your choice holds on both hosts: what you decide on www is not asked again on account, and the other way round. The cookies of duinweg.localhost reach both as well.',
    'panel.cm.title': 'Consent Mode: what the tags were told',
    'panel.cm.intro': 'Each command that the Consent Mode adapter put on the page’s dataLayer, oldest first.',
    'panel.cm.empty': 'Nothing yet.',
    'panel.cookies.title': 'Cookies of this page',
    'panel.cookies.intro': 'What document.cookie holds now, kept up to date while you choose.',
    'panel.cookies.none': 'No cookies.',
    'privacy.h1': 'Privacy notice',
    'account.prefs.intro': 'Choose what we may do with your consent. You can change your choice at any time.',
    footer: 'Duinweg Domeinen (fictional) · Akkoord demo site',
  },
  nl: {
    ...common.nl,
    'title.home': 'Duinweg Domeinen: domeinnamen van de kust',
    'title.privacy': 'Privacyverklaring · Duinweg Domeinen',
    'title.account': 'Mijn account · Duinweg Domeinen',
    'description.home':
      'Duinweg Domeinen, een verzonnen Nederlandse registrar: een demosite van Akkoord met statistieken, Consent Mode, een video en twee hosts.',
    'description.privacy': 'Hoe Duinweg Domeinen uw persoonsgegevens gebruikt, welke cookies het plaatst en welke rechten u hebt.',
    'description.account': "Uw keuzes voor statistieken, video's en e-mail, uw toestemmingsgeschiedenis en uw privacyrechten bij Duinweg Domeinen.",
    'demo.bar': 'Demosite van Akkoord: Duinweg Domeinen is een verzonnen registrar.',
    'marketing.waiting': 'Statistiekscript: wacht op toestemming',
    'marketing.ran': 'Statistiekscript uitgevoerd',
    'home.h1': 'Domeinnamen van de kust',
    'home.lead':
      'Duinweg Domeinen registreert en beheert domeinnamen voor bedrijven en particulieren: .nl, .eu, .frl en vele andere extensies, met Nederlandstalige ondersteuning.',
    'home.f1.title': 'Registreren en verhuizen',
    'home.f1.body': 'Een nieuwe domeinnaam staat binnen enkele minuten online; uw verhuizing naar ons regelen wij.',
    'home.f2.title': 'DNS in eigen hand',
    'home.f2.body': 'U beheert uw DNS-records en doorverwijzingen zelf, op account.duinweg.localhost.',
    'home.f3.title': 'Geen verrassingen',
    'home.f3.body': 'Wij herinneren u ruim voordat een domeinnaam verloopt, en een verlenging kost wat die vorig jaar kostte.',
    'video.heading': 'Uitleg in beeld',
    'video.title': 'Zo verhuist u uw domeinnaam',
    'demo.p1':
      'Het statistiekscript van deze site wacht op uw toestemming voor ‘Websitestatistieken’: geeft u die, dan draait het script meteen en zet het zijn twee cookies (_ga en _ga_…) op duinweg.localhost, te zien in het cookiepaneel hieronder. Trekt u de toestemming in, dan verwijdert Akkoord ze.',
    'demo.p2':
      'Google Consent Mode hoort elke keuze: het paneel hieronder toont wat de tags op deze pagina te horen kregen, de standaardwaarden voordat er iets anders draaide en een update bij elke beslissing. Er draait hier geen code van Google en er gaat niets naar buiten.',
    'demo.p3':
      "De video hierboven laadt alleen met uw toestemming voor ‘Video's van YouTube’: ‘Eenmalig laden’ toont hem voor dit paginabezoek en legt niets vast, ‘Altijd toestaan’ geeft uw toestemming. De speler is een nabootsing van deze demo: er gaat niets naar YouTube.",
    'demo.p4':
      'Mijn account staat op een tweede hostnaam, account.duinweg.localhost. Uw keuze geldt op beide hosts: wat u op www beslist, wordt op account niet opnieuw gevraagd, en andersom. Ook de cookies van duinweg.localhost gelden op beide.',
    'panel.cm.title': 'Consent Mode: wat de tags te horen kregen',
    'panel.cm.intro': 'Elke opdracht die de Consent Mode-adapter in de dataLayer van de pagina zette, de oudste eerst.',
    'panel.cm.empty': 'Nog niets.',
    'panel.cookies.title': 'Cookies van deze pagina',
    'panel.cookies.intro': 'Wat document.cookie nu bevat, bijgewerkt terwijl u kiest.',
    'panel.cookies.none': 'Geen cookies.',
    'privacy.h1': 'Privacyverklaring',
    'account.prefs.intro': 'Kies wat wij met uw toestemming mogen doen. U kunt uw keuze altijd wijzigen.',
    footer: 'Duinweg Domeinen (verzonnen) · demosite van Akkoord',
  },
};

/** Names of the languages in the switch, each in its own language. */
export const LANGUAGE_NAMES = {
  nl: { label: 'Nederlands', short: 'NL' },
  'nl-BE': { label: 'Nederlands (België)', short: 'NL-BE' },
  en: { label: 'English', short: 'EN' },
};

export const SITES = [
  {
    key: 'gmo',
    name: 'GMO Registry',
    logo: 'G',
    noticeId: 'gmo-registry',
    portEnv: 'AKKOORD_DEMO_GMO_PORT',
    defaultPort: 8080,
    languages: ['nl', 'en'],
    defaultLanguage: 'nl',
    subject: 'demo-customer-gmo-1',
    gatedPurpose: 'marketing',
    texts: gmoTexts,
  },
  {
    key: 'dcube',
    name: 'D-Cube Resource',
    logo: 'D³',
    noticeId: 'dcube-resource',
    portEnv: 'AKKOORD_DEMO_DCUBE_PORT',
    defaultPort: 8081,
    languages: ['nl-BE', 'nl', 'en'],
    defaultLanguage: 'nl-BE',
    subject: 'demo-customer-dcube-1',
    gatedPurpose: 'marketing',
    texts: dcubeTexts,
  },
  {
    key: 'duinweg',
    name: 'Duinweg Domeinen',
    logo: 'Dw',
    noticeId: 'duinweg-domeinen',
    // Demo data, not a launch customer's notice: start.mjs builds it with akkoord-notice at every start.
    noticeSource: 'scripts/demo/notices/duinweg-domeinen.json',
    portEnv: 'AKKOORD_DEMO_DUINWEG_PORT',
    defaultPort: 8082,
    languages: ['nl', 'en'],
    defaultLanguage: 'nl',
    subject: 'demo-customer-duinweg-1',
    gatedPurpose: 'analytics',
    gatedScript: '/demo/analytics.js',
    // Two host names of one registrable domain, both loopback in Chromium and Firefox without setup
    // (*.localhost); the account page is on the second. Other host names (127.0.0.1) are sent to www.
    hosts: { www: 'www.duinweg.localhost', account: 'account.duinweg.localhost' },
    // One decision on both hosts: the consent elements mirror it in a cookie on the registrable domain.
    cookieDomain: 'duinweg.localhost',
    consentMode: true,
    texts: duinwegTexts,
  },
];
