/**
 * What a refused purpose leaves behind goes: the cookies and storage keys
 * the notice declares for it (`cookies`, `storage` on the purpose) are
 * deleted whenever the purpose is refused or withdrawn, and again on every
 * page load while it stays refused, in case a script set them anyway.
 *
 * A cookie is deleted where it may have been set: on the page's host and on
 * each parent domain (a tag often sets its cookies on the registrable domain,
 * `.registrar.example`), on the path "/", the declared path, and each
 * folder of the current page's path (a script's cookie without a path gets
 * its page's folder). A name with `*` matches the cookies this page can see.
 * Browsers only: in Node there is nothing to delete.
 */
import type { ConsentNoticePurpose, Decision } from './types.js';

/** Deletes the declared cookies and storage keys of every purpose that is denied. */
export function deleteRefused(purposes: readonly ConsentNoticePurpose[], decisions: Readonly<Record<string, Decision>>): void {
  if (typeof document === 'undefined') return;
  for (const purpose of purposes) {
    if (!purpose.id || decisions[purpose.id] !== 'denied') continue;
    for (const cookie of purpose.cookies ?? []) deleteCookie(cookie.name, cookie.domain, cookie.path);
    for (const entry of purpose.storage ?? []) deleteStorage(entry.key, entry.type);
  }
}

function matcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (name) => regex.test(name);
}

/** The names of the cookies this page can see. */
function visibleCookies(): string[] {
  return document.cookie
    .split(';')
    .map((pair) => pair.split('=')[0]!.trim())
    .filter(Boolean);
}

/** The page's host and its parent domains (no single label: a browser refuses a cookie on a top-level domain). */
function domains(host: string, declared?: string): (string | undefined)[] {
  const out: (string | undefined)[] = [undefined]; // host-only: no Domain attribute
  // An IP address has no parent domains; a single label (localhost) neither.
  if (!/^[\d.]+$|^\[|:/.test(host)) {
    const labels = host.split('.');
    for (let i = 0; i < labels.length - 1; i++) out.push(labels.slice(i).join('.'));
  }
  const own = declared?.replace(/^\./, '');
  if (own && !out.includes(own)) out.push(own);
  return out;
}

/** "/", the declared path, and each folder of the page's path. */
function paths(pathname: string, declared?: string): string[] {
  const out = new Set(['/']);
  if (declared) out.add(declared);
  const folders = pathname.split('/').slice(1, -1);
  for (let i = 1; i <= folders.length; i++) out.add(`/${folders.slice(0, i).join('/')}`);
  return [...out];
}

function deleteCookie(pattern: string, declaredDomain?: string, declaredPath?: string): void {
  const matches = matcher(pattern);
  const names = pattern.includes('*') ? visibleCookies().filter(matches) : [pattern];
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  for (const name of names) {
    for (const domain of domains(location.hostname, declaredDomain)) {
      for (const path of paths(location.pathname, declaredPath)) {
        document.cookie = `${name}=; Max-Age=0; Path=${path}${domain ? `; Domain=${domain}` : ''}${secure}`;
      }
    }
  }
}

function deleteStorage(pattern: string, type: 'local' | 'session'): void {
  const storage = type === 'local' ? localStorage : sessionStorage;
  const matches = matcher(pattern);
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key !== null && matches(key)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}
