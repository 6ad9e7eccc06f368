import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { Controls, Description, Primary, Title } from '@storybook/addon-docs/blocks';
import { createElement, Fragment } from 'react';
import { expect, waitFor } from 'storybook/test';
import '@akkoord/elements/consent-history.js';
import type { ConsentHistory } from '@akkoord/elements';
import { getConsentController, type ConsentController } from '@akkoord/core/consent';
import { canonicalJson, hashJson, type FirstLayer, type NoticeDocument } from '@akkoord/core/notice';
import { jwkThumbprint, signCompact } from '@akkoord/core/sync';
import { argTypes, documentUrl, freshSubject, langOf, noticeUrl, NOTICES_BUILT, part } from './notices.js';
import { consentHistory } from './templates.js';

interface Args {
  notice: string;
  lang: string;
  'heading-level': number;
}

const RECEIVER = 'https://receiver.example/consent';
const historyIn = (canvasElement: HTMLElement) => canvasElement.querySelector<ConsentHistory>('consent-history')!;

/**
 * A stand-in for the registrar's receiver, in the page: `fetch` to `RECEIVER`
 * answers here. It keeps receipts in memory, countersigns them with a key
 * made for it (ES256, like `@akkoord/receiver`), answers a subject's history
 * to `Authorization: Bearer demo:<subject>` only, and publishes its key.
 * Every other request goes out as usual. For the subjects in `tampered`, it
 * answers the newest receipt of their history with one decision changed
 * after it was signed. It returns the function that puts `fetch` back.
 */
function standInReceiver(tampered: ReadonlySet<string>): () => void {
  const realFetch = window.fetch;
  type Receipt = { piiPrincipalId: string; akkoord: { decisions: Record<string, string> } };
  const stored = new Map<string, { receipt: Receipt; countersignature: string; storedAt: string }[]>();
  const key = crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']).then(async (pair) => {
    const { x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const jwk = { kty: 'EC' as const, crv: 'P-256' as const, x: x!, y: y! };
    return { pair, jwk: { ...jwk, kid: await jwkThumbprint(jwk), alg: 'ES256' as const, use: 'sig' as const } };
  });
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  window.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${RECEIVER}/`)) return realFetch(input, init);
    const path = request.url.slice(RECEIVER.length);
    const { pair, jwk } = await key;
    if (request.method === 'POST' && path === '/receipts') {
      const receipt = (await request.json()) as Receipt & { consentReceiptID: string };
      const canonical = canonicalJson(receipt);
      const item = { receipt, countersignature: await signCompact(canonical, pair.privateKey, jwk.kid), storedAt: new Date().toISOString() };
      const list = stored.get(receipt.piiPrincipalId) ?? [];
      list.push(item);
      stored.set(receipt.piiPrincipalId, list);
      const answer = { receiptId: receipt.consentReceiptID, receiptHash: await hashJson(receipt), countersignature: item.countersignature, storedAt: item.storedAt };
      return json(answer, 201);
    }
    if (path === '/.well-known/jwks.json') return json({ keys: [jwk] });
    const notice = /^\/notices\/(.+)$/.exec(path);
    if (notice) return realFetch(documentUrl('gmo-registry'));
    const history = /^\/subjects\/([^/]+)\/receipts$/.exec(path);
    if (history) {
      const subject = decodeURIComponent(history[1]!);
      if (request.headers.get('authorization') !== `Bearer demo:${subject}`) {
        return json({ error: 'forbidden', message: 'You may read only your own consent records.' }, 403);
      }
      const receipts = (stored.get(subject) ?? []).map((item, i, all) => {
        if (!tampered.has(subject) || i !== all.length - 1) return item;
        // The newest receipt, edited after it was signed: marketing turned off.
        const receipt = structuredClone(item.receipt);
        receipt.akkoord.decisions.marketing = 'denied';
        return { ...item, receipt };
      });
      return json({ subject, receipts });
    }
    return json({ error: 'not-found', message: `No ${request.method} ${path} here.` }, 404);
  };
  return () => {
    window.fetch = realFetch;
  };
}

/** The first layer the stories' controller uses: what `akkoord-notice build` wrote, else derived from the document. */
async function firstLayerOf(locale: string): Promise<FirstLayer> {
  if (NOTICES_BUILT) return (await fetch(`notices-built/gmo-registry/first-layer.${locale}.json`)).json();
  const { firstLayer } = await import('@akkoord/core/notice');
  const doc = (await (await fetch(documentUrl('gmo-registry'))).json()) as NoticeDocument;
  return firstLayer(doc, locale, await hashJson(doc));
}

/**
 * The Docs page: the element's description, its first story and the API tables, as on the other elements'
 * pages, without the list of every story: each story makes a customer decide three times through a shared
 * outbox before it shows, and on one page they would wait on each other. Each is in the sidebar.
 */
function docsPage() {
  return createElement(Fragment, null, createElement(Title), createElement(Description), createElement(Primary), createElement(Controls));
}

/**
 * One stand-in receiver for every story on the page, as one receiver serves
 * every customer: on the Docs page the stories render together, and their
 * receipts wait in one outbox (IndexedDB is the page's, and so is the lock
 * that lets one tab at a time send them), which may send one story's receipts
 * with another's. The last story to go puts `fetch` back.
 */
const receiver = { users: 0, restore: undefined as (() => void) | undefined, tampered: new Set<string>() };

function useReceiver(): () => void {
  if (receiver.users++ === 0) receiver.restore = standInReceiver(receiver.tampered);
  return () => {
    if (--receiver.users === 0) receiver.restore?.();
  };
}

/** The customer of each story (by its id), a new one for every render. */
const customers = new Map<string, string>();
const customerOf = (id: string) => customers.get(id) ?? '';

/**
 * A story's `beforeEach` (it runs after loaders, before the render): the
 * stand-in receiver, a new customer for the story, and unless `decisions` is false, three
 * decisions of theirs (accept all, reject all, then per purpose), each
 * receipt back countersigned before the history renders.
 */
function scenario({ tamper = false, decisions = true }: { tamper?: boolean; decisions?: boolean } = {}) {
  return async ({ globals, id }: { globals: Record<string, unknown>; id: string }) => {
    const release = useReceiver();
    const customer = freshSubject();
    customers.set(id, customer);
    if (tamper) receiver.tampered.add(customer);
    if (decisions) await threeDecisions(customer, String(globals.locale ?? 'nl').startsWith('en') ? 'en' : 'nl');
    return release;
  };
}

async function threeDecisions(subject: string, locale: string): Promise<void> {
  const consent = getConsentController({ notice: await firstLayerOf(locale), subject, locale, sync: { endpoint: RECEIVER } });
  await consent.ready;
  const decide = async (act: (c: ConsentController) => Promise<void>) => {
    const synced = new Promise((resolve) => consent.addEventListener('consent-sync', resolve, { once: true }));
    await act(consent);
    await synced;
  };
  await decide((c) => c.acceptAll({ source: 'user' }));
  await decide((c) => c.rejectAll({ source: 'user' }));
  await decide((c) => c.save({ marketing: 'granted', 'seminar-announcements': 'denied', 'feature-announcements': 'denied' }, { source: 'user' }));
}

/**
 * `<consent-history>`: on a customer's account page, every receipt of this
 * customer, newest first: when, how, what was allowed and refused, on which
 * version of the notice, and whether the receiver's countersignature
 * verifies. A receipt opens to all its fields; *download* gives the whole
 * history as JSON, with the keys that verify it.
 *
 * The history is read from this browser and from the receiver (with the
 * host's credentials), each receipt once. These stories use a stand-in
 * receiver in the page (see `standInReceiver` in the stories' source), and a
 * new customer for every render, who decides three times before the history
 * shows.
 */
const meta = {
  title: 'Elements/Consent history',
  component: 'consent-history',
  parameters: { docs: { page: docsPage } },
  argTypes: {
    notice: argTypes.notice,
    lang: argTypes.lang,
    'heading-level': argTypes['heading-level'],
  },
  args: { notice: noticeUrl('gmo-registry'), lang: '', 'heading-level': 2 },
  render: (args, { globals, id }) =>
    consentHistory({
      notice: args.notice,
      endpoint: RECEIVER,
      subject: customerOf(id),
      credentials: ((who: string) => () => ({ Authorization: `Bearer demo:${who}` }))(customerOf(id)),
      lang: langOf(args, globals),
      headingLevel: args['heading-level'],
    }),
  play: async ({ canvasElement }) => {
    const el = historyIn(canvasElement);
    await part(el, 'receipts');
    await el.loadComplete;
  },
} satisfies Meta<Args>;
export default meta;

type Story = StoryObj<Args>;


/** Three decisions, newest first, each countersigned and verified. */
export const History: Story = {
  name: 'Account page: three decisions',
  beforeEach: scenario(),
  play: async ({ canvasElement }) => {
    const el = historyIn(canvasElement);
    await part(el, 'receipts');
    await el.loadComplete;
    await waitFor(() => expect(el.shadowRoot!.querySelectorAll('[part="receipt"]')).toHaveLength(3));
  },
};

/** One receipt opened: its number, who is responsible, the notice it was made on, the chain and the signing key. */
export const ReceiptOpened: Story = {
  name: 'One receipt, readable',
  beforeEach: scenario(),
  play: async ({ canvasElement }) => {
    const el = historyIn(canvasElement);
    const details = await part<HTMLDetailsElement>(el, 'receipt-details');
    details.open = true;
  },
};

/** A receipt changed after it was countersigned (the stand-in receiver turned its marketing off): it does not verify, and says so. */
export const Tampered: Story = {
  name: 'A countersignature that does not verify',
  beforeEach: scenario({ tamper: true }),
  play: async ({ canvasElement }) => {
    const el = historyIn(canvasElement);
    await part(el, 'receipts');
    await el.loadComplete;
    await waitFor(() => expect(el.shadowRoot!.querySelector('[part="verification"]')!.getAttribute('data-status')).toBe('failed'));
  },
};

/** The receiver does not admit the host's credentials: the history shows this browser's copy, and says so. */
export const ReceiverRefuses: Story = {
  name: 'The receiver refuses to read',
  beforeEach: scenario(),
  render: (args, { globals, id }) =>
    consentHistory({
      notice: args.notice,
      endpoint: RECEIVER,
      subject: customerOf(id),
      credentials: () => ({ Authorization: 'Bearer demo:someone-else' }),
      lang: langOf(args, globals),
      headingLevel: args['heading-level'],
    }),
};

/** A customer who has not decided yet. */
export const Empty: Story = {
  name: 'No decisions yet',
  beforeEach: scenario({ decisions: false }),
  play: async ({ canvasElement }) => {
    const el = historyIn(canvasElement);
    await part(el, 'empty');
  },
};
