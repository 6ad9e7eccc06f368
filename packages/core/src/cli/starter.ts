/**
 * `akkoord-notice init`: a starter notice in Dutch and English with every
 * required field, so that a registrar edits a document that already
 * validates instead of writing 250 lines from a list of bullet points.
 * What only the registrar knows is a placeholder in «guillemets»; `check`
 * warns about each one left (`placeholders` in ../notice/lint.ts), and
 * `check --strict` fails on them.
 */

/** Where `$schema` points: the JSON Schema the package ships, as installed next to the registrar's files. */
export const SHIPPED_SCHEMA = './node_modules/@akkoord/core/notice.schema.json';

const both = (nl: string, en: string) => ({ nl, en });
const paragraph = (nl: string, en: string) => ({ nl: [{ type: 'paragraph', text: nl }], en: [{ type: 'paragraph', text: en }] });

export function starterNotice(schema = SHIPPED_SCHEMA): Record<string, unknown> {
  return {
    $schema: schema,
    id: 'my-registrar',
    version: new Date().toISOString().slice(0, 10),
    locales: ['nl', 'en'],
    defaultLocale: 'nl',
    jurisdiction: 'NL',
    policyUrl: 'https://www.example.com/privacy',
    controller: {
      name: '«Naam van uw organisatie B.V.»',
      establishedIn: 'NL',
      address: { streetAddress: '«Straat en huisnummer»', postalCode: '«1234 AB»', addressLocality: '«Plaats»', addressCountry: 'NL' },
      email: 'privacy@example.com',
    },
    summary: {
      intro: both(
        '«Wij registreren domeinnamen voor u. Daarvoor gebruiken wij uw naam, adres en e-mailadres.»',
        '«We register domain names for you. To do so, we use your name, address and e-mail address.»',
      ),
      withdrawal: both(
        'U trekt uw toestemming op elk moment in via «Privacyinstellingen» onderaan elke pagina.',
        'You can withdraw your consent at any time through «Privacy settings» at the bottom of every page.',
      ),
    },
    dataCategories: [
      { id: 'contact', title: both('Naam, adres en e-mailadres', 'Name, address and e-mail address') },
      { id: 'usage', title: both('Gegevens over uw bezoek aan onze website', 'Data about your visit to our website') },
    ],
    purposes: [
      {
        id: 'registration',
        title: both('Domeinnamen registreren', 'Registering domain names'),
        description: both(
          '«Wij registreren de domeinnamen die u bij ons bestelt en geven uw gegevens door aan de registry van de extensie.»',
          '«We register the domain names you order from us and pass your data to the registry of the extension.»',
        ),
        legalBasis: 'contract',
        category: 'service-provision',
        dataCategories: ['contact'],
      },
      {
        id: 'analytics',
        title: both('Websitestatistieken', 'Website statistics'),
        description: both(
          '«Met uw toestemming meten wij hoe bezoekers onze website gebruiken, om die te verbeteren.»',
          '«With your consent, we measure how visitors use our website, to improve it.»',
        ),
        legalBasis: 'consent',
        category: 'service-development',
        dataCategories: ['usage'],
        cookies: [
          {
            name: '_cookienaam',
            provider: '«Naam van de aanbieder»',
            lifetime: both('«13 maanden»', '«13 months»'),
            description: both('«Onderscheidt bezoekers van elkaar.»', '«Tells visitors apart.»'),
          },
        ],
      },
    ],
    sections: [
      section('purposes', 'purposes', ['Waarvoor wij uw gegevens gebruiken', 'What we use your data for'], [
        '«Per doel: welke gegevens, waarom, en op welke grondslag.»',
        '«For each purpose: which data, why, and on which legal basis.»',
      ]),
      section('recipients', 'recipients', ['Wie uw gegevens ontvangt', 'Who receives your data'], [
        '«De registry van de extensie die u kiest, en onze hostingpartij.»',
        '«The registry of the extension you choose, and our hosting provider.»',
      ]),
      section('retention', 'retention', ['Hoe lang wij uw gegevens bewaren', 'How long we keep your data'], [
        '«Zeven jaar na het einde van de overeenkomst, zoals de belastingwet voorschrijft.»',
        '«Seven years after the contract ends, as tax law requires.»',
      ]),
      section('rights', 'rights', ['Uw rechten', 'Your rights'], [
        'U mag uw gegevens inzien en laten verbeteren of verwijderen. Stuur ons daarvoor een e-mail.',
        'You may see your data and have it corrected or erased. To do so, send us an e-mail.',
      ]),
      section('complaints', 'complaints', ['Een klacht indienen', 'Making a complaint'], [
        'Bent u het niet eens met hoe wij uw gegevens gebruiken? Dan kunt u een klacht indienen bij de Autoriteit Persoonsgegevens.',
        'If you disagree with how we use your data, you can complain to the Dutch Data Protection Authority.',
      ]),
    ],
    rights: [
      { right: 'access', title: both('Inzage', 'Access'), description: both('U mag zien welke gegevens wij van u hebben.', 'You may see which data we hold about you.') },
      { right: 'rectification', title: both('Correctie', 'Rectification'), description: both('U mag onjuiste gegevens laten verbeteren.', 'You may have incorrect data corrected.') },
      { right: 'erasure', title: both('Verwijdering', 'Erasure'), description: both('U mag uw gegevens laten verwijderen.', 'You may have your data erased.') },
      { right: 'withdraw-consent', title: both('Toestemming intrekken', 'Withdrawing consent'), description: both('U mag uw toestemming altijd intrekken.', 'You may withdraw your consent at any time.') },
      { right: 'complaint', title: both('Klacht', 'Complaint'), description: both('U mag een klacht indienen bij de toezichthouder.', 'You may complain to the supervisory authority.') },
    ],
    requestChannels: [
      {
        type: 'email',
        address: 'privacy@example.com',
        instructions: both('Stuur uw verzoek naar ons e-mailadres. Wij antwoorden binnen een maand.', 'Send your request to our e-mail address. We answer within a month.'),
      },
    ],
    supervisoryAuthorities: [
      { name: both('Autoriteit Persoonsgegevens', 'Dutch Data Protection Authority'), country: 'NL', url: 'https://autoriteitpersoonsgegevens.nl' },
    ],
  };
}

function section(id: string, topic: string, [titleNl, titleEn]: [string, string], [nl, en]: [string, string]) {
  return { id, topic, title: both(titleNl, titleEn), summary: both(nl, en), body: paragraph(nl, en) };
}
