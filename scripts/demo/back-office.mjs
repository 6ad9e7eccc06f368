// The demo registrar's back office: what its mail system does with consent.
// One page per site (/back-office, in Dutch or English): pick a consent
// purpose and see who may receive that mailing (the receiver's stream of
// consenting subjects), check the demo customer (POST /consent/check), open
// the mail prepared for them with its RFC 8058 headers, and unsubscribe from
// it as the reader's mail client would; the page lists the webhook
// deliveries the receiver made to this site, and what the site received.
//
// The receiver's back-office key lives here, on the server: a page never
// sees it (a registrar's back office sits behind its staff's sign-in; the
// demo's is open to anyone on 127.0.0.1). The site is also the mail
// system's webhook consumer (POST /back-office/webhook), which checks each
// delivery's Standard Webhooks signature before it believes it.
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CONFIG_FILE = 'demo-back-office.json';
/** How many received deliveries a site keeps to show. */
const KEEP_RECEIVED = 20;
/** Subjects shown on the page; the count says how many there are in all. */
const SHOW_SUBJECTS = 50;
/** Older deliveries are replays (Standard Webhooks suggests five minutes). */
const TOLERANCE_SECONDS = 300;
const MAX_WEBHOOK_BODY = 256 * 1024;

const TEXTS = {
  nl: {
    title: 'Backoffice: mailings',
    lead: 'Wat het mailsysteem van de registrar met toestemming doet. In een echte backoffice meldt u zich eerst aan als medewerker; deze demo staat open voor iedereen op 127.0.0.1.',
    purpose: 'Mailing',
    show: 'Ontvangers tonen',
    none: 'Deze privacyverklaring vraagt nergens toestemming voor: er is geen mailing om na te gaan.',
    noReceiver: 'De ontvanger van de demo draait niet: er is niets na te gaan.',
    recipients: (n) => (n === 1 ? '1 klant mag deze mailing ontvangen.' : `${n} klanten mogen deze mailing ontvangen.`),
    subject: 'Klant',
    receipt: 'Bewijs (ontvangstbewijs)',
    more: (n) => `en nog ${n}`,
    customer: 'De demoklant',
    state: { granted: 'mag gemaild worden', denied: 'heeft geweigerd of zich afgemeld', unknown: 'heeft (nog) niet gekozen' },
    mail: 'Voorbereide mail aan de demoklant',
    mailSubject: 'Nieuws van',
    mailBody: 'Onderaan elke mailing staat een afmeldlink. Het mailprogramma van de lezer toont bovendien een knop "Afmelden", die deze twee kopregels gebruikt:',
    unsubscribe: 'Afmelden met één klik, zoals het mailprogramma van de lezer dat doet',
    notOnList: 'De demoklant staat niet op deze lijst: deze mailing gaat niet naar deze klant.',
    afterwards: 'Open daarna Mijn account: de voorkeuren tonen de afmelding, met het ontvangstbewijs dat de ontvanger ervoor maakte.',
    account: 'Mijn account',
    deliveries: 'Webhookleveringen van de ontvanger',
    deliveriesNone: 'Nog geen leveringen.',
    received: 'Ontvangen door het mailsysteem (handtekening gecontroleerd)',
    receivedNone: 'Nog niets ontvangen.',
    when: 'Tijd',
    event: 'Gebeurtenis',
    outcome: 'Uitkomst',
    granted: 'Toegestaan',
    denied: 'Geweigerd',
    method: 'Manier',
    error: 'De ontvanger antwoordde niet zoals verwacht',
  },
  en: {
    title: 'Back office: mailings',
    lead: "What the registrar's mail system does with consent. A real back office asks its staff to sign in first; this demo is open to anyone on 127.0.0.1.",
    purpose: 'Mailing',
    show: 'Show recipients',
    none: 'This privacy notice asks consent for nothing: there is no mailing to check.',
    noReceiver: "The demo's receiver is not running: there is nothing to check.",
    recipients: (n) => (n === 1 ? '1 customer may receive this mailing.' : `${n} customers may receive this mailing.`),
    subject: 'Customer',
    receipt: 'Proof (receipt)',
    more: (n) => `and ${n} more`,
    customer: 'The demo customer',
    state: { granted: 'may be mailed', denied: 'refused or unsubscribed', unknown: 'has not chosen (yet)' },
    mail: 'Mail prepared for the demo customer',
    mailSubject: 'News from',
    mailBody: 'Every mailing ends with an unsubscribe link. The reader\'s mail program also shows an "Unsubscribe" button, which uses these two header lines:',
    unsubscribe: "Unsubscribe with one click, as the reader's mail program does",
    notOnList: 'The demo customer is not on this list: this mailing does not go to them.',
    afterwards: 'Then open My account: the preferences show the unsubscribe, with the receipt the receiver made for it.',
    account: 'My account',
    deliveries: "The receiver's webhook deliveries",
    deliveriesNone: 'No deliveries yet.',
    received: 'Received by the mail system (signature checked)',
    receivedNone: 'Nothing received yet.',
    when: 'Time',
    event: 'Event',
    outcome: 'Outcome',
    granted: 'Granted',
    denied: 'Denied',
    method: 'Method',
    error: 'The receiver did not answer as expected',
  },
};

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);

/**
 * Before the receiver starts: a back-office key (consent:read, unsubscribe:mint,
 * events:read) and one webhook endpoint per site, made with the receiver's
 * own command line. The previous run's are revoked and removed first, so
 * that the data directory does not collect keys and endpoints (whose port may
 * have changed). Returns `{ key, secrets: { [siteKey]: 'whsec_…' } }`, or
 * throws with the command's output.
 */
export function prepareBackOffice({ root, dataDir, origins }) {
  const bin = join(root, 'packages/receiver/bin/akkoord-receiver.js');
  const run = (...args) => {
    const result = spawnSync(process.execPath, [bin, ...args, '--data', dataDir], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`akkoord-receiver ${args.slice(0, 2).join(' ')} failed:\n${result.stderr || result.stdout}`);
    return result.stdout;
  };
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, CONFIG_FILE);
  if (existsSync(file)) {
    try {
      const before = JSON.parse(readFileSync(file, 'utf8'));
      if (before.keyId) run('keys', 'revoke', before.keyId);
      for (const id of before.webhookIds ?? []) run('webhooks', 'remove', id);
    } catch {
      // A key or endpoint already gone (a cleared data directory) is no reason to stop.
    }
  }
  const key = run('keys', 'create', '--scope', 'consent:read', '--scope', 'unsubscribe:mint', '--scope', 'events:read', '--name', 'demo back office').trim().split('\n')[0];
  const keyId = /^akk_([0-9a-f]+)_/.exec(key)?.[1];
  if (!keyId) throw new Error(`akkoord-receiver keys create printed no key: ${key}`);
  const secrets = {};
  const webhookIds = [];
  for (const [siteKey, origin] of Object.entries(origins)) {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const printed = run('webhooks', 'add', `${origin}/back-office/webhook`, '--secret', secret);
    const id = /^id:\s+(\S+)/m.exec(printed)?.[1];
    if (id) webhookIds.push(id);
    secrets[siteKey] = secret;
  }
  writeFileSync(file, `${JSON.stringify({ keyId, webhookIds }, null, 2)}\n`, { mode: 0o600 });
  return { key, secrets };
}

/** Whether a delivery carries a valid Standard Webhooks signature under `secret`, made recently. */
export function verifyWebhook(headers, body, secret, now = Date.now()) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value = ''] = entry.split(',');
    const given = Buffer.from(value, 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * The back office of one site: `handle(request, response, path, query)`
 * answers its paths and returns true, or returns false for any other path.
 * `receiver()` is the receiver's URL while it runs; `config()` what
 * prepareBackOffice returned.
 */
export function createBackOffice({ site, notice, receiver, config, print = (line) => console.log(line) }) {
  const received = [];
  // The mailings: consent purposes that reach the person outside the website (a site's statistics or videos are no mailing).
  const consentPurposes = notice.purposes.filter((p) => p.legalBasis === 'consent' && p.channel !== 'web');
  const titleOf = (purpose, lang) => purpose.title?.[lang] ?? purpose.title?.[notice.defaultLocale] ?? purpose.id;

  async function call(path, init = {}) {
    const response = await fetch(`${receiver()}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${config().key}`, ...(init.body && { 'content-type': 'application/json' }), ...init.headers },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path.split('?')[0]}: ${response.status}`);
    return response;
  }

  /** The subjects who consent to `purpose`: the whole NDJSON stream, counted; the first few kept to show. */
  async function recipients(purpose) {
    const response = await call(`/purposes/${encodeURIComponent(purpose)}/subjects?notice=${encodeURIComponent(notice.id)}&state=granted`);
    const shown = [];
    let count = 0;
    for (const line of (await response.text()).split('\n')) {
      if (!line.trim()) continue;
      const item = JSON.parse(line);
      if (!item.subject) continue;
      count++;
      if (shown.length < SHOW_SUBJECTS) shown.push(item);
    }
    return { shown, count };
  }

  async function page(lang, purposeId) {
    const t = TEXTS[lang];
    const purpose = consentPurposes.find((p) => p.id === purposeId) ?? consentPurposes[0];
    const sections = [];
    if (!consentPurposes.length) sections.push(`<p>${escapeHtml(t.none)}</p>`);
    else if (!receiver() || !config()) sections.push(`<p>${escapeHtml(t.noReceiver)}</p>`);
    else {
      sections.push(`
      <form method="get" action="/back-office" class="pick">
        <input type="hidden" name="lang" value="${lang}">
        <label for="purpose">${escapeHtml(t.purpose)}</label>
        <select id="purpose" name="purpose">
          ${consentPurposes.map((p) => `<option value="${escapeHtml(p.id)}"${p === purpose ? ' selected' : ''}>${escapeHtml(titleOf(p, lang))}</option>`).join('')}
        </select>
        <button type="submit">${escapeHtml(t.show)}</button>
      </form>`);
      try {
        const [{ shown, count }, check] = await Promise.all([
          recipients(purpose.id),
          call('/consent/check', { method: 'POST', body: JSON.stringify({ purpose: purpose.id, notice: notice.id, subjects: [site.subject] }) }).then((r) => r.json()),
        ]);
        const mine = check.results[0];
        sections.push(`
      <section aria-labelledby="recipients-title">
        <h2 id="recipients-title">${escapeHtml(titleOf(purpose, lang))}</h2>
        <p id="recipient-count" data-count="${count}">${escapeHtml(t.recipients(count))}</p>
        ${count ? `<table id="recipients"><thead><tr><th scope="col">${escapeHtml(t.subject)}</th><th scope="col">${escapeHtml(t.receipt)}</th></tr></thead><tbody>
          ${shown.map((s) => `<tr><td><code>${escapeHtml(s.subject)}</code></td><td><code>${escapeHtml(s.receiptId)}</code></td></tr>`).join('')}
        </tbody></table>${count > shown.length ? `<p>${escapeHtml(t.more(count - shown.length))}</p>` : ''}` : ''}
        <p id="customer-state" data-state="${escapeHtml(mine.state)}">${escapeHtml(t.customer)} (<code>${escapeHtml(site.subject)}</code>): ${escapeHtml(t.state[mine.state] ?? mine.state)}${mine.receiptId ? ` (<code>${escapeHtml(mine.receiptId)}</code>)` : ''}.</p>
      </section>`);
        sections.push(await mailSection(lang, purpose, mine.state === 'granted'));
      } catch (error) {
        sections.push(`<p role="alert">${escapeHtml(t.error)}: ${escapeHtml(error.message)}</p>`);
      }
      sections.push(await deliveriesSection(lang));
    }
    return layout(lang, purpose?.id, sections.join('\n'));
  }

  async function mailSection(lang, purpose, onList) {
    const t = TEXTS[lang];
    if (!onList) return `<section aria-labelledby="mail-title"><h2 id="mail-title">${escapeHtml(t.mail)}</h2><p>${escapeHtml(t.notOnList)}</p></section>`;
    const minted = await (
      await call('/unsubscribe/tokens', { method: 'POST', body: JSON.stringify({ subject: site.subject, purpose: purpose.id, notice: notice.id }) })
    ).json();
    return `
      <section aria-labelledby="mail-title">
        <h2 id="mail-title">${escapeHtml(t.mail)}</h2>
        <pre class="mail" id="mail-headers">From: ${escapeHtml(site.name)} &lt;nieuws@${site.key}.example&gt;
To: ${escapeHtml(site.subject)}@example.nl
Subject: ${escapeHtml(t.mailSubject)} ${escapeHtml(site.name)}: ${escapeHtml(titleOf(purpose, lang))}
List-Unsubscribe: ${escapeHtml(minted.listUnsubscribe)}
List-Unsubscribe-Post: ${escapeHtml(minted.listUnsubscribePost)}</pre>
        <p>${escapeHtml(t.mailBody)}</p>
        <form method="post" action="${escapeHtml(minted.url)}" id="one-click">
          <input type="hidden" name="List-Unsubscribe" value="One-Click">
          <button type="submit">${escapeHtml(t.unsubscribe)}</button>
        </form>
        <p>${escapeHtml(t.afterwards)} <a href="/account${lang === site.defaultLanguage ? '' : `?lang=${lang}`}">${escapeHtml(t.account)}</a></p>
      </section>`;
  }

  async function deliveriesSection(lang) {
    const t = TEXTS[lang];
    let rows = '';
    try {
      const { attempts } = await (await call('/webhooks/deliveries?limit=10')).json();
      rows = attempts
        .map(
          (a) =>
            `<tr><td>${escapeHtml(a.attemptedAt.slice(11, 19))}</td><td><code>${escapeHtml(a.eventId)}</code></td><td>${escapeHtml(a.outcome)}${a.status ? ` (${a.status}, ${Math.round(a.latencyMs)} ms)` : ''}${a.error ? `: ${escapeHtml(a.error)}` : ''}</td></tr>`,
        )
        .join('');
    } catch (error) {
      rows = `<tr><td colspan="3">${escapeHtml(t.error)}: ${escapeHtml(error.message)}</td></tr>`;
    }
    const mine = received
      .map(
        (r) =>
          `<tr><td>${escapeHtml(r.at)}</td><td><code>${escapeHtml(r.subject)}</code></td><td>${escapeHtml(r.method)}</td><td>${escapeHtml(r.granted.join(', '))}</td><td>${escapeHtml(r.denied.join(', '))}</td></tr>`,
      )
      .join('');
    return `
      <section aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">${escapeHtml(t.deliveries)}</h2>
        ${rows ? `<table id="deliveries"><thead><tr><th scope="col">${escapeHtml(t.when)}</th><th scope="col">${escapeHtml(t.event)}</th><th scope="col">${escapeHtml(t.outcome)}</th></tr></thead><tbody>${rows}</tbody></table>` : `<p>${escapeHtml(t.deliveriesNone)}</p>`}
        <h3>${escapeHtml(t.received)}</h3>
        ${mine ? `<table id="received"><thead><tr><th scope="col">${escapeHtml(t.when)}</th><th scope="col">${escapeHtml(t.subject)}</th><th scope="col">${escapeHtml(t.method)}</th><th scope="col">${escapeHtml(t.granted)}</th><th scope="col">${escapeHtml(t.denied)}</th></tr></thead><tbody>${mine}</tbody></table>` : `<p>${escapeHtml(t.receivedNone)}</p>`}
      </section>`;
  }

  function layout(lang, purposeId, body) {
    const t = TEXTS[lang];
    const other = lang === 'en' ? 'nl' : 'en';
    const otherHref = `/back-office?lang=${other}${purposeId ? `&purpose=${encodeURIComponent(purposeId)}` : ''}`;
    return `<!doctype html>
<html lang="${lang}" data-site="${site.key}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(t.title)} · ${escapeHtml(site.name)}</title>
  <link rel="icon" href="/demo/favicon-${site.key}.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/demo/site.css">
</head>
<body class="back-office">
  <header class="site-header">
    <a class="brand" href="/"><span class="logo" aria-hidden="true">${escapeHtml(site.logo)}</span>${escapeHtml(site.name)}</a>
    <nav class="lang-switch" aria-label="${lang === 'en' ? 'Language' : 'Taal'}"><ul><li><a href="${escapeHtml(otherHref)}" hreflang="${other}" lang="${other}">${other.toUpperCase()}</a></li></ul></nav>
  </header>
  <main id="main">
    <h1>${escapeHtml(t.title)}</h1>
    <p>${escapeHtml(t.lead)}</p>
    ${body}
  </main>
</body>
</html>
`;
  }

  /** A delivery from the receiver: believed only with a valid signature; kept to show, and printed. */
  async function webhook(request, response) {
    const chunks = [];
    let size = 0;
    for await (const chunk of request) {
      size += chunk.length;
      if (size > MAX_WEBHOOK_BODY) return response.writeHead(413).end();
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const secret = config()?.secrets?.[site.key];
    if (!secret || !verifyWebhook(request.headers, body, secret)) return response.writeHead(401, { 'content-type': 'text/plain' }).end('bad signature\n');
    let event;
    try {
      event = JSON.parse(body);
    } catch {
      return response.writeHead(400).end();
    }
    const data = event.data ?? {};
    // The receiver serves both demo sites: this site's mail system cares about its own notice.
    if (data.noticeId === notice.id) {
      const entry = {
        at: new Date().toISOString().slice(11, 19),
        subject: String(data.subject ?? '?'),
        method: String(data.method ?? '?'),
        granted: Array.isArray(data.granted) ? data.granted.map(String) : [],
        denied: Array.isArray(data.denied) ? data.denied.map(String) : [],
      };
      received.unshift(entry);
      received.length = Math.min(received.length, KEEP_RECEIVED);
      print(`[webhook] ${entry.at} ${site.key} ${event.type ?? 'event'} ${entry.subject} ${entry.method}  granted: ${entry.granted.join(', ') || 'none'}  denied: ${entry.denied.join(', ') || 'none'}  (signature verified)`);
    }
    response.writeHead(204).end();
  }

  return {
    /** Form posts to the receiver's unsubscribe URL leave this page: its policy must allow that origin. */
    formAction: () => receiver(),
    async handle(request, response, path, query) {
      if (path === '/back-office/webhook' && request.method === 'POST') {
        await webhook(request, response);
        return true;
      }
      if (path !== '/back-office') return false;
      const lang = query.get('lang') === 'en' ? 'en' : 'nl';
      const html = await page(lang, query.get('purpose'));
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'content-security-policy': `default-src 'self'; script-src 'none'; style-src 'self'; form-action 'self'${receiver() ? ` ${new URL(receiver()).origin}` : ''}; base-uri 'none'; frame-ancestors 'none'`,
      });
      response.end(request.method === 'HEAD' ? undefined : html);
      return true;
    },
  };
}
