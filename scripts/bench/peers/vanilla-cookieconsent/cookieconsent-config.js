// vanilla-cookieconsent 3.1 as cookieconsent.orestbida.com "Getting started" sets it up: this module
// imports the UMD build and runs it with the categories and one translation. Three consent purposes
// of the GMO Registry notice, in Dutch; "necessary" is the library's usual read-only category.
import '/node_modules/vanilla-cookieconsent/dist/cookieconsent.umd.js';

const purposes = {
  marketing: ['Nieuws en aanbiedingen per e-mail', 'Met uw toestemming sturen we u per e-mail nieuws en aanbiedingen over de diensten van GMO Registry. Elke e-mail bevat een afmeldlink.'],
  seminars: ['Aankondigingen van seminars', 'Met uw toestemming sturen we u per e-mail aankondigingen en uitnodigingen voor seminars van GMO Registry. Elke e-mail bevat een afmeldlink.'],
  features: ['Aankondigingen van nieuwe functies', 'Met uw toestemming sturen we u per e-mail berichten over nieuwe functies waarvan we denken dat ze u interesseren. Elke e-mail bevat een afmeldlink.'],
};

CookieConsent.run({
  categories: {
    necessary: { enabled: true, readOnly: true },
    marketing: {},
    seminars: {},
    features: {},
  },
  language: {
    default: 'nl',
    translations: {
      nl: {
        consentModal: {
          title: 'Uw privacy',
          description:
            'GMO Registry, Inc. in Tokio is een registry voor internetdomeinnamen. We gebruiken uw persoonsgegevens om onze diensten te leveren. ' +
            'Met uw toestemming sturen we u ook nieuws en aanbiedingen per e-mail, aankondigingen van seminars en aankondigingen van nieuwe functies. ' +
            'U kunt uw toestemming op elk moment intrekken.',
          acceptAllBtn: 'Alles accepteren',
          acceptNecessaryBtn: 'Alles weigeren',
          showPreferencesBtn: 'Kiezen',
          footer: '<a href="/privacy">Privacyverklaring</a>',
        },
        preferencesModal: {
          title: 'Privacy-instellingen',
          acceptAllBtn: 'Alles accepteren',
          acceptNecessaryBtn: 'Alles weigeren',
          savePreferencesBtn: 'Keuze opslaan',
          closeIconLabel: 'Sluiten',
          sections: [
            { title: 'Noodzakelijk', description: 'Nodig om onze diensten te leveren.', linkedCategory: 'necessary' },
            ...Object.entries(purposes).map(([id, [title, description]]) => ({ title, description, linkedCategory: id })),
          ],
        },
      },
    },
  },
});
