/**
 * The notices whose receipts this receiver accepts. Each notice given at
 * start is kept in the store under its hash, for good: every hash a stored
 * receipt names stays resolvable at `GET /notices/{hash}`, and receipts on
 * it stay acceptable, even after the notice is dropped from the list.
 */
import { canonicalJson, hashJson, type NoticeDocument } from '@akkoord/core/notice';
import type { ConsentReceipt } from '@akkoord/core/receipts';
import type { ReceiptStore } from './store.js';

/** What the receiver checks receipts and requests against. */
interface KnownNotice {
  id: string;
  version: string;
  consentPurposes: ReadonlySet<string>;
  rights: ReadonlySet<string>;
  document: NoticeDocument;
  /** The receipt's `policyUrl`: the notice's, with its hash as the fragment. */
  policyUrl: string;
}

export interface ReceiptIssue {
  path: string;
  message: string;
}

export class NoticeRegistry {
  readonly #known = new Map<string, KnownNotice>();

  /** Keeps `notices` in the store, then learns every notice the store has ever kept. */
  async load(store: ReceiptStore, notices: readonly NoticeDocument[]): Promise<void> {
    for (const notice of notices) {
      const hash = await hashJson(notice);
      await store.putNotice(hash, canonicalJson(notice));
      this.#known.set(hash, describeNotice(notice, hash));
    }
    for (const hash of await store.noticeHashes()) {
      if (this.#known.has(hash)) continue;
      const document = await store.getNotice(hash);
      if (document) this.#known.set(hash, describeNotice(JSON.parse(document) as NoticeDocument, hash));
    }
  }

  has(hash: string): boolean {
    return this.#known.has(hash);
  }

  /** The ids of the notices (any version known) that ask consent for `purpose`, sorted. */
  noticesAsking(purpose: string): string[] {
    const ids = new Set([...this.#known.values()].filter((notice) => notice.consentPurposes.has(purpose)).map((notice) => notice.id));
    return [...ids].sort();
  }

  /** The newest document of a notice id: one the receiver was started with, else one kept from before; undefined if unknown. */
  current(noticeId: string): NoticeDocument | undefined {
    // The notices given at start are learnt first (see load), so the first match is a current one.
    for (const notice of this.#known.values()) if (notice.id === noticeId) return notice.document;
    return undefined;
  }

  /** The notice document with this hash, if known. */
  document(hash: string): NoticeDocument | undefined {
    return this.#known.get(hash)?.document;
  }

  /** The rights a notice id declares, over every version known; undefined for an unknown notice. */
  rightsOf(noticeId: string): ReadonlySet<string> | undefined {
    const versions = [...this.#known.values()].filter((notice) => notice.id === noticeId);
    return versions.length ? new Set(versions.flatMap((notice) => [...notice.rights])) : undefined;
  }

  /**
   * Where a receipt contradicts the notice it names, or itself; undefined
   * for an unknown notice. A receipt is countersigned as proof, so one that
   * says two things at once (rejected all, yet granted something; granted
   * in the extension, yet no Kantara purpose) must not get that proof.
   */
  issuesOf(receipt: ConsentReceipt): ReceiptIssue[] | undefined {
    const notice = this.#known.get(receipt.akkoord.noticeHash);
    if (!notice) return undefined;
    const issues: ReceiptIssue[] = [];
    const { akkoord } = receipt;
    if (akkoord.noticeId !== notice.id) {
      issues.push({ path: 'akkoord.noticeId', message: `the notice with this hash is "${notice.id}"` });
    }
    if (akkoord.noticeVersion !== notice.version) {
      issues.push({ path: 'akkoord.noticeVersion', message: `the notice with this hash is version "${notice.version}"` });
    }
    for (const id of Object.keys(akkoord.decisions)) {
      if (!notice.consentPurposes.has(id)) {
        issues.push({ path: `akkoord.decisions.${id}`, message: 'not a consent purpose of this notice' });
      }
    }
    const granted = Object.keys(akkoord.decisions).filter((id) => akkoord.decisions[id] === 'granted' && notice.consentPurposes.has(id));
    if (akkoord.method === 'reject-all') {
      for (const id of granted) issues.push({ path: `akkoord.decisions.${id}`, message: 'granted, but the method is reject-all' });
    }
    // Kantara lists what was consented to: one purpose per granted decision, by its title in the receipt's language.
    const titled = receipt.services.flatMap((service) => service.purposes.map((p) => p.purpose));
    const expected = granted.map((id) => {
      const purpose = notice.document.purposes.find((p) => p.id === id)!;
      return purpose.title[receipt.language] ?? purpose.title[notice.document.defaultLocale];
    });
    if (titled.length !== expected.length || expected.some((title) => !titled.includes(title))) {
      issues.push({
        path: 'services',
        message: `the Kantara purposes must be the ${expected.length} granted in akkoord.decisions (${expected.join(', ') || 'none'}); found ${titled.length}`,
      });
    }
    if (receipt.policyUrl !== notice.policyUrl) {
      issues.push({ path: 'policyUrl', message: `the notice with this hash is published at ${notice.policyUrl}` });
    }
    const { representative } = notice.document.controller;
    if (representative && !receipt.piiControllers.some((c) => c.onBehalf && c.piiController === representative.name)) {
      issues.push({ path: 'piiControllers', message: `the notice names ${representative.name} as representative, acting on behalf of the controller` });
    }
    return issues;
  }
}

function describeNotice(notice: NoticeDocument, hash: string): KnownNotice {
  return {
    id: notice.id,
    version: notice.version,
    document: notice,
    policyUrl: `${notice.policyUrl}#${hash.replace(':', '=')}`,
    consentPurposes: new Set(notice.purposes.filter((p) => p.legalBasis === 'consent').map((p) => p.id)),
    rights: new Set(notice.rights.map((r) => r.right)),
  };
}
