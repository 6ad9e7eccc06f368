/**
 * One locale's view of a notice document: every localized field resolved.
 * Elements render this; `akkoord-notice build` writes it per locale.
 */
import type { Block, CookieDeclaration, NoticeDocument, Party, PostalAddress, RichText, StorageDeclaration } from './schema.js';

type Doc = NoticeDocument;

export interface LocalizedNotice {
  id: string;
  version: string;
  /** SHA-256 of the whole document (all locales): what a receipt names. */
  hash: string;
  locale: string;
  policyUrl: string;
  controller: Omit<Doc['controller'], 'jointControllers'> & {
    jointControllers?: { description: RichText; url?: string };
  };
  summary: { intro: RichText; notable: RichText[]; withdrawal: RichText };
  dataCategories: { id: string; title: string; special: boolean }[];
  purposes: (Omit<Doc['purposes'][number], 'title' | 'description' | 'legitimateInterest' | 'retention' | 'cookies' | 'storage'> & {
    title: string;
    description: RichText;
    legitimateInterest?: RichText;
    retention?: RichText;
    cookies?: LocalizedCookie[];
    storage?: LocalizedStorage[];
  })[];
  sections: { id: string; topic: Doc['sections'][number]['topic']; title: string; summary: RichText; body: Block[] }[];
  rights: { right: Doc['rights'][number]['right']; title: string; description: RichText }[];
  requestChannels: LocalizedChannel[];
  refusedRequestMeans: NonNullable<Doc['refusedRequestMeans']>;
  supervisoryAuthorities: (Omit<Doc['supervisoryAuthorities'][number], 'name'> & { name: string })[];
}

export type LocalizedCookie = Omit<CookieDeclaration, 'lifetime' | 'description'> & { lifetime: string; description: RichText };
export type LocalizedStorage = Omit<StorageDeclaration, 'lifetime' | 'description'> & { lifetime: string; description: RichText };

type Channel = Doc['requestChannels'][number];
export type LocalizedChannel =
  | { type: 'postal'; recipient: Party & { address: PostalAddress }; registeredMail: boolean; instructions: RichText; enclosures?: string[]; formUrl?: string }
  | { type: 'email'; address: string; instructions: RichText; proofOfIdentity?: RichText }
  | { type: 'self-service'; url: string; label: string; instructions: RichText }
  | { type: 'online'; instructions: RichText };

export function localizeNotice(doc: Doc, locale: string, hash: string): LocalizedNotice {
  if (!doc.locales.includes(locale)) {
    throw new RangeError(`Notice "${doc.id}" has no locale "${locale}"; it declares ${doc.locales.join(', ')}`);
  }
  const t = <T>(value: Record<string, T>): T => value[locale] as T;
  const opt = <T>(value: Record<string, T> | undefined): T | undefined => (value ? t(value) : undefined);
  const stored = <T extends { lifetime: Record<string, string>; description: Record<string, RichText> }>(items?: T[]) =>
    items?.map((item) => ({ ...item, lifetime: t(item.lifetime), description: t(item.description) }));
  const { jointControllers, ...controller } = doc.controller;
  return {
    id: doc.id,
    version: doc.version,
    hash,
    locale,
    policyUrl: doc.policyUrl,
    controller: {
      ...controller,
      ...(jointControllers && {
        jointControllers: { description: t(jointControllers.description), url: jointControllers.url },
      }),
    },
    summary: {
      intro: t(doc.summary.intro),
      notable: opt(doc.summary.notable) ?? [],
      withdrawal: t(doc.summary.withdrawal),
    },
    dataCategories: doc.dataCategories.map((c) => ({ id: c.id, title: t(c.title), special: c.special ?? false })),
    purposes: doc.purposes.map((p) => ({
      ...p,
      title: t(p.title),
      description: t(p.description),
      legitimateInterest: opt(p.legitimateInterest),
      retention: opt(p.retention),
      cookies: stored(p.cookies),
      storage: stored(p.storage),
    })),
    sections: doc.sections.map((s) => ({
      id: s.id,
      topic: s.topic,
      title: t(s.title),
      summary: t(s.summary),
      body: t(s.body),
    })),
    rights: doc.rights.map((r) => ({ right: r.right, title: t(r.title), description: t(r.description) })),
    requestChannels: doc.requestChannels.map((c) => localizeChannel(c, locale)),
    refusedRequestMeans: doc.refusedRequestMeans ?? [],
    supervisoryAuthorities: doc.supervisoryAuthorities.map((a) => ({ ...a, name: t(a.name) })),
  };
}

function localizeChannel(channel: Channel, locale: string): LocalizedChannel {
  const t = <T>(value: Record<string, T>): T => value[locale] as T;
  switch (channel.type) {
    case 'postal':
      return { ...channel, instructions: t(channel.instructions), enclosures: channel.enclosures && t(channel.enclosures) };
    case 'email':
      return { ...channel, instructions: t(channel.instructions), proofOfIdentity: channel.proofOfIdentity && t(channel.proofOfIdentity) };
    case 'self-service':
      return { ...channel, label: t(channel.label), instructions: t(channel.instructions) };
    case 'online':
      return { ...channel, instructions: t(channel.instructions) };
  }
}
