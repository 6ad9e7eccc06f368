import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import '@akkoord/elements/privacy-rights.js';
import type { PrivacyRights } from '@akkoord/elements';
import type { NoticeDocument } from '@akkoord/core/notice';
import { argTypes, documentUrl, langOf, noticeUrl, part } from './notices.js';
import { privacyRights } from './templates.js';

interface Args {
  notice: string;
  lang: string;
  'heading-level': number;
}

const rightsIn = (canvasElement: HTMLElement) => canvasElement.querySelector<PrivacyRights>('privacy-rights')!;

/** Fills in the request form as a person would, then presses one of its buttons. */
async function request(el: PrivacyRights, action: 'postal' | 'email' | 'online', values: Record<string, string>) {
  await el.loadComplete;
  for (const [name, value] of Object.entries(values)) {
    const field = el.shadowRoot!.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(`[name="${name}"]`)!;
    field.value = value;
    field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  }
  await el.updateComplete;
  el.shadowRoot!.querySelector<HTMLButtonElement>(`button[data-action="${action}"]`)!.click();
}

const ANNA = {
  name: 'Anna de Vries',
  email: 'anna@example.nl',
  street: 'Keizersgracht 1',
  postalCode: '1015 AA',
  locality: 'Amsterdam',
  country: 'Nederland',
};

/**
 * `<privacy-rights>`: the GDPR rights from the notice document, each explained
 * in plain words in the page's language, the right to object first and apart
 * (art. 21(4)), the rights of each purpose by its legal basis, the
 * supervisory authority, and requests through the channels the notice
 * declares: a letter to print (postal), a prepared e-mail, a link to the
 * registrar's own application, or a request sent online.
 *
 * The language comes from the toolbar. GMO Registry's notice is in `nl` and
 * `en`, D-Cube Resource's in `nl-BE` and `en`.
 */
const meta = {
  title: 'Elements/Privacy rights',
  component: 'privacy-rights',
  argTypes: {
    notice: argTypes.notice,
    lang: argTypes.lang,
    'heading-level': argTypes['heading-level'],
  },
  args: { notice: noticeUrl('gmo-registry'), lang: '', 'heading-level': 2 },
  render: (args, { globals }) =>
    privacyRights({ notice: args.notice, lang: langOf(args, globals), headingLevel: args['heading-level'] }),
  play: async ({ canvasElement }) => {
    await rightsIn(canvasElement).loadComplete;
  },
} satisfies Meta<Args>;
export default meta;

type Story = StoryObj<Args>;

/**
 * GMO Registry takes requests only on its prescribed form, printed, signed
 * and sent by registered post to Tokyo; not by telephone, fax, e-mail or in
 * person. The form is filled in on screen and checked before it becomes a
 * letter.
 */
export const GmoRegistry: Story = {
  name: 'GMO Registry: postal',
  args: { notice: noticeUrl('gmo-registry') },
};

/** *Prepare the letter* with nothing filled in: each missing field says what is wrong, and focus goes to the first. */
export const PostalFormErrors: Story = {
  name: 'GMO Registry: the form checked',
  args: { notice: noticeUrl('gmo-registry') },
  play: async ({ canvasElement }) => {
    const el = rightsIn(canvasElement);
    await request(el, 'postal', {});
    await part(el, 'form-error');
  },
};

/**
 * The letter, ready to print: the registrar's address, *by registered post*,
 * the request in the person's language, what to enclose and a signature line.
 * Printing shows the letter alone, on A4.
 */
export const PostalLetter: Story = {
  name: 'GMO Registry: the letter to print',
  args: { notice: noticeUrl('gmo-registry') },
  play: async ({ canvasElement }) => {
    const el = rightsIn(canvasElement);
    await request(el, 'postal', { right: 'access', ...ANNA, customerNumber: 'C-1042' });
    await part(el, 'letter');
  },
};

/**
 * D-Cube Resource: its online customer application (a link), and requests in
 * writing by e-mail, with proof of identity when asked for.
 */
export const DCubeResource: Story = {
  name: 'D-Cube Resource: e-mail and self-service',
  args: { notice: noticeUrl('dcube-resource') },
};

/** The e-mail, prepared: a `mailto:` link with subject and body in the person's language, and the same text to copy. */
export const EmailPrepared: Story = {
  name: 'D-Cube Resource: the prepared e-mail',
  args: { notice: noticeUrl('dcube-resource') },
  play: async ({ canvasElement }) => {
    const el = rightsIn(canvasElement);
    await request(el, 'email', { right: 'rectification', name: 'Jan Peeters', email: 'jan@example.be', message: 'Mijn adres is gewijzigd.' });
    const mailto = await part<HTMLAnchorElement>(el, 'mailto-link');
    await expect(mailto.getAttribute('href')).toMatch(/^mailto:privacy@dcube-resource\.be\?subject=/);
  },
};

const RECEIVER = 'https://receiver.example/consent';
const CUSTOMER = 'demo-customer-1042';

/**
 * A stand-in for the registrar's receiver, for the online stories only:
 * `fetch` to `RECEIVER` answers here (201 with a reference, or 403), every
 * other request goes out as usual, and `fetch` is put back when you leave the
 * story. The real receiver (`@akkoord/receiver`) does the same over HTTP.
 */
function standInReceiver(answer: 'received' | 'forbidden') {
  return () => {
    const realFetch = window.fetch;
    window.fetch = async (input, init) => {
      const request = new Request(input, init);
      if (!request.url.startsWith(`${RECEIVER}/`)) return realFetch(input, init);
      if (request.method === 'POST' && request.url === `${RECEIVER}/requests` && answer === 'received') {
        const body = { requestId: crypto.randomUUID(), receivedAt: new Date().toISOString() };
        return new Response(JSON.stringify(body), { status: 201, headers: { 'content-type': 'application/json' } });
      }
      const refusal = { error: 'forbidden', message: 'You may make requests only about your own data.' };
      return new Response(JSON.stringify(refusal), { status: 403, headers: { 'content-type': 'application/json' } });
    };
    return () => {
      window.fetch = realFetch;
    };
  };
}

/** GMO Registry's notice as a registrar that also takes requests over its API would publish it. */
const withOnlineChannel = async () => {
  const doc = (await (await fetch(documentUrl('gmo-registry'))).json()) as NoticeDocument;
  doc.requestChannels.push({
    type: 'online',
    instructions: {
      nl: 'Bent u ingelogd, dan verstuurt u uw verzoek hier. Wij antwoorden per e-mail.',
      en: 'When you are signed in, you send your request here. We answer by e-mail.',
    },
  });
  return { online: doc };
};

const renderOnline: Story['render'] = (args, { globals, loaded }) =>
  privacyRights({
    notice: loaded.online as NoticeDocument,
    endpoint: RECEIVER,
    subject: CUSTOMER,
    credentials: () => ({ Authorization: `Bearer demo:${CUSTOMER}` }),
    lang: langOf(args, globals),
    headingLevel: args['heading-level'],
  });

/**
 * Online, for a signed-in customer: `POST {endpoint}/requests` with the
 * host's credentials. The receiver's `authorize` hook admits the customer,
 * stores the request and answers a reference to keep.
 */
export const Online: Story = {
  name: 'Online request, received',
  argTypes: { notice: { control: false } },
  beforeEach: standInReceiver('received'),
  loaders: [withOnlineChannel],
  render: renderOnline,
  play: async ({ canvasElement }) => {
    const el = rightsIn(canvasElement);
    await request(el, 'online', { right: 'portability', name: 'Anna de Vries', email: 'anna@example.nl' });
    await part(el, 'request-id');
  },
};

/** The host's credentials are not this customer's: the receiver refuses (403), and the element says so. */
export const OnlineRefused: Story = {
  name: 'Online request, refused',
  argTypes: { notice: { control: false } },
  beforeEach: standInReceiver('forbidden'),
  loaders: [withOnlineChannel],
  render: renderOnline,
  play: async ({ canvasElement }) => {
    const el = rightsIn(canvasElement);
    await request(el, 'online', { right: 'access', name: 'Anna de Vries', email: 'anna@example.nl' });
    const status = await part(el, 'online-status');
    await waitFor(() => expect(status.classList.contains('forbidden')).toBe(true));
  },
};
