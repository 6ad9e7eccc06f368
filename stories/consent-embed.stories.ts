import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '@akkoord/elements/consent-embed.js';
import { argTypes, freshSubject, langOf, noticeUrl, part } from './notices.js';
import { consentEmbed } from './templates.js';

interface Args {
  notice: string;
  lang: string;
  subject: string;
  purpose: string;
  'embed-src': string;
  provider: string;
  title: string;
  allow: string;
  referrerpolicy: string;
  width: number;
  height: number;
}

/**
 * `<consent-embed>`: a video, a map or any other page of another site,
 * behind a placeholder until the reader consents to the purpose it needs.
 * The placeholder says what would load, from whom and for which purpose of
 * the notice, with *load this once* (for this page view, nothing recorded)
 * and *always allow* (a decision, with its receipt, as in the preferences).
 * Once the purpose is granted, every embed of it loads, on this page and in
 * the page's other tabs; when it is withdrawn, the placeholders return.
 *
 * The iframe is created only after consent, so nothing is requested from
 * `embed-src` before. Give it a `title` (the iframe's accessible name) and
 * the embed's `width` and `height`: the box keeps that size before and
 * after, so nothing on the page moves when the embed loads.
 *
 * ```html
 * <consent-embed
 *   notice="/privacy/manifest.json"
 *   purpose="marketing"
 *   embed-src="https://www.youtube-nocookie.com/embed/VIDEO_ID"
 *   provider="YouTube (Google)"
 *   title="Your domain in two minutes"
 *   allow="fullscreen; picture-in-picture"
 *   width="560" height="315"
 * ></consent-embed>
 * ```
 *
 * The launch notices ask consent for e-mail purposes only, so these stories
 * tie their embeds to "marketing"; a registrar names the purpose its notice
 * declares for embedded content. Each story is a new visitor: nothing loads
 * here until you choose. Choosing *always allow* loads the provider's page
 * from the internet.
 */
const meta = {
  title: 'Elements/Consent embed',
  component: 'consent-embed',
  argTypes: {
    notice: argTypes.notice,
    lang: argTypes.lang,
    subject: argTypes.subject,
    purpose: { description: 'The consent purpose of the notice the embed waits for.', control: 'text' },
    'embed-src': { description: 'The iframe’s address (https:, or http: in development).', control: 'text' },
    provider: { description: 'Who serves the embed.', control: 'text' },
    title: { description: 'What the embed shows: the iframe’s accessible name.', control: 'text' },
    allow: { description: 'The iframe’s permissions policy.', control: 'text' },
    referrerpolicy: { description: 'The iframe’s referrer policy.', control: 'text' },
    width: { description: 'Width in CSS pixels (at most; narrower containers shrink it).', control: { type: 'number', min: 1 } },
    height: { description: 'Height in CSS pixels, kept in proportion to the width.', control: { type: 'number', min: 1 } },
  },
  args: {
    notice: noticeUrl('gmo-registry'),
    lang: '',
    subject: '',
    purpose: 'marketing',
    'embed-src': 'https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ',
    provider: 'YouTube (Google)',
    title: 'Big Buck Bunny',
    allow: 'fullscreen; picture-in-picture',
    referrerpolicy: 'strict-origin-when-cross-origin',
    width: 560,
    height: 315,
  },
  loaders: [() => ({ visitor: freshSubject() })],
  render: (args, { globals, loaded }) =>
    consentEmbed({
      notice: args.notice,
      subject: args.subject || (loaded.visitor as string),
      lang: langOf(args, globals),
      purpose: args.purpose,
      embedSrc: args['embed-src'],
      provider: args.provider,
      title: args.title,
      allow: args.allow,
      referrerPolicy: args.referrerpolicy,
      width: args.width,
      height: args.height,
    }),
  play: async ({ canvasElement }) => {
    await part(canvasElement.querySelector('consent-embed'), 'placeholder');
  },
} satisfies Meta<Args>;
export default meta;

type Story = StoryObj<Args>;

/** A video from YouTube's privacy-enhanced host, before the reader has chosen. */
export const Video: Story = {};

/** A map from OpenStreetMap, in a 4:3 box. */
export const StreetMap: Story = {
  name: 'Map',
  args: {
    'embed-src': 'https://www.openstreetmap.org/export/embed.html?bbox=4.88%2C52.36%2C4.92%2C52.38&layer=mapnik',
    provider: 'OpenStreetMap',
    title: 'Map: our office in Amsterdam',
    allow: '',
    referrerpolicy: '',
    width: 480,
    height: 360,
  },
};

/**
 * An address that is no web address (`javascript:`, `data:`) never loads:
 * the element says so where the embed would be, and fires a
 * `consent-error` (`embed-invalid`) that tells the developer why.
 */
export const RefusedAddress: Story = {
  name: 'Refused address',
  args: { 'embed-src': 'javascript:alert(1)' },
  play: async ({ canvasElement }) => {
    await part(canvasElement.querySelector('consent-embed'), 'error');
  },
};
