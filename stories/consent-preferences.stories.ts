import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@akkoord/elements/consent-preferences.js';
import { argTypes, freshSubject, langOf, noticeUrl, ownFrameOnDocs, part, withGlobalPrivacyControl } from './notices.js';
import { consentPreferences } from './templates.js';

interface Args {
  notice: string;
  lang: string;
  subject: string;
  'heading-level': number;
}

/**
 * `<consent-preferences>`: one switch per consent purpose, with the purposes
 * on another legal basis listed beside them, and *save*, *accept all* and
 * *reject all*. The banner opens it in its dialog; on its own it belongs on a
 * customer's account page, with the customer's `subject`.
 *
 * Choices are stored in IndexedDB per notice and subject, so the demo
 * customer's choices are still there when you come back. An empty `subject`
 * is a new random visitor on every render.
 */
const meta = {
  title: 'Elements/Consent preferences',
  component: 'consent-preferences',
  argTypes: {
    notice: argTypes.notice,
    lang: argTypes.lang,
    subject: argTypes.subject,
    'heading-level': argTypes['heading-level'],
  },
  args: { notice: noticeUrl('gmo-registry'), lang: '', subject: '', 'heading-level': 2 },
  loaders: [() => ({ visitor: freshSubject() })],
  render: (args, { globals, loaded }) =>
    consentPreferences({
      notice: args.notice,
      subject: args.subject || (loaded.visitor as string),
      lang: langOf(args, globals),
      headingLevel: args['heading-level'],
    }),
  play: async ({ canvasElement }) => {
    await part(canvasElement.querySelector('consent-preferences'), 'heading');
  },
} satisfies Meta<Args>;
export default meta;

type Story = StoryObj<Args>;

const ACCOUNT_PAGE: Record<string, { title: string; signedIn: string }> = {
  nl: { title: 'Mijn account', signedIn: 'U bent ingelogd als klant 1042.' },
  en: { title: 'My account', signedIn: 'You are signed in as customer 1042.' },
};

/**
 * A signed-in customer's account page: the host knows the customer, so it
 * passes their id as `subject`, and their choices follow them to every
 * device. The page has its own `h1`; the element's heading is an `h2`.
 */
export const AccountPage: Story = {
  name: 'Account page (signed-in customer)',
  args: { subject: 'demo-customer-1042' },
  decorators: [
    (story, { args, globals }) => {
      const lang = langOf(args, globals);
      const words = ACCOUNT_PAGE[lang.split('-')[0]!] ?? ACCOUNT_PAGE.en!;
      return html`<div lang=${words === ACCOUNT_PAGE.en ? 'en' : lang} style="font-family: system-ui, sans-serif">
        <h1>${words.title}</h1>
        <p>${words.signedIn}</p>
        ${story()}
      </div>`;
    },
  ],
};

/**
 * A browser that sends Global Privacy Control, for a visitor who has not
 * decided yet: the marketing purposes start refused, a note says why, and
 * switching one on stays possible. `navigator.globalPrivacyControl` is put
 * back when you leave the story.
 */
export const GlobalPrivacyControl: Story = {
  name: 'GPC on',
  beforeEach: withGlobalPrivacyControl,
  parameters: ownFrameOnDocs(640),
  play: async ({ canvasElement }) => {
    await part(canvasElement.querySelector('consent-preferences'), 'gpc-note');
  },
};

/** D-Cube Resource asks no consent: the element says so, and lists the purposes with their legal bases. */
export const DCubeResource: Story = {
  name: 'D-Cube Resource (no consent purposes)',
  args: { notice: noticeUrl('dcube-resource') },
  play: async ({ canvasElement }) => {
    await part(canvasElement.querySelector('consent-preferences'), 'other-purposes');
  },
};
