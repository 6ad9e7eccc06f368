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
      this.#known.set(hash, describeNotice(notice));
    }
    for (const hash of await store.noticeHashes()) {
      if (this.#known.has(hash)) continue;
      const document = await store.getNotice(hash);
      if (document) this.#known.set(hash, describeNotice(JSON.parse(document) as NoticeDocument));
    }
  }

  has(hash: string): boolean {
    return this.#known.has(hash);
  }

  /** The rights a notice id declares, over every version known; undefined for an unknown notice. */
  rightsOf(noticeId: string): ReadonlySet<string> | undefined {
    const versions = [...this.#known.values()].filter((notice) => notice.id === noticeId);
    return versions.length ? new Set(versions.flatMap((notice) => [...notice.rights])) : undefined;
  }

  /** What a receipt says about the notice it names that the notice contradicts; undefined for an unknown notice. */
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
    return issues;
  }
}

function describeNotice(notice: NoticeDocument): KnownNotice {
  return {
    id: notice.id,
    version: notice.version,
    consentPurposes: new Set(notice.purposes.filter((p) => p.legalBasis === 'consent').map((p) => p.id)),
    rights: new Set(notice.rights.map((r) => r.right)),
  };
}
