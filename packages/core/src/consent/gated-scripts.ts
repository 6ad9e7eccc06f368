/**
 * Scripts that wait for consent: `<script type="text/plain" data-consent="marketing">`
 * (inline or with `src`) runs once, when that purpose is granted, never
 * before. Activated scripts keep document order: external ones are inserted
 * with `async = false`, which browsers run in insertion order.
 *
 * Under a strict Content-Security-Policy the scripts are made through the
 * `akkoord` Trusted Types policy and carry the placeholder's nonce; a page
 * whose policy refuses them gets one `consent-error`, never an exception.
 */
import type { ConsentController } from './controller.js';
import { scriptPolicy, type ScriptPolicy } from './trusted-types.js';

const SELECTOR = 'script[type="text/plain"][data-consent]';
const DONE = 'data-consent-activated';

/**
 * Watches `root` for gated scripts and runs each one whose purpose the
 * controller says is granted, now or later, until the returned function is
 * called or the controller is disposed.
 */
export function activateGatedScripts(controller: ConsentController, root: Document | Element = document): () => void {
  let blocked = false;
  const activate = () => {
    for (const placeholder of root.querySelectorAll<HTMLScriptElement>(SELECTOR)) {
      if (placeholder.hasAttribute(DONE)) continue;
      const purposes = (placeholder.dataset.consent ?? '').split(/\s+/).filter(Boolean);
      // A script that names several purposes needs all of them.
      if (purposes.length === 0 || !purposes.every((id) => controller.isGranted(id))) continue;
      const policy = scriptPolicy();
      if (policy instanceof Error) {
        // Said once for the page: every gated script fails for the same reason.
        if (!blocked) controller.reportError('script-blocked', policy.message);
        blocked = true;
        return;
      }
      placeholder.setAttribute(DONE, '');
      try {
        placeholder.after(runnable(placeholder, policy));
      } catch (error) {
        // A MutationObserver or event callback that throws reaches the page as an uncaught error.
        controller.reportError('script-failed', `A script waiting for consent (${describe(placeholder)}) could not start: ${String(error)}`);
      }
    }
  };
  const observer = new MutationObserver(activate);
  const stop = () => {
    controller.removeEventListener('consent-change', activate);
    controller.removeEventListener('dispose', stop);
    observer.disconnect();
  };
  controller.addEventListener('consent-change', activate);
  controller.addEventListener('dispose', stop);
  observer.observe(root, { childList: true, subtree: true });
  void controller.ready.then(activate);
  return stop;
}

function runnable(placeholder: HTMLScriptElement, policy: ScriptPolicy): HTMLScriptElement {
  const script = document.createElement('script');
  for (const { name, value } of placeholder.attributes) {
    if (name === 'type' || name === DONE || name === 'data-consent' || name === 'src' || name === 'nonce') continue;
    script.setAttribute(name, value);
  }
  // The browser hides a nonce attribute's value once parsed; the property keeps it, for `script-src 'nonce-…'`.
  if (placeholder.nonce) script.nonce = placeholder.nonce;
  // `data-type="module"` lets a gated script be a module once it runs.
  const type = placeholder.dataset.type;
  if (type) script.type = type;
  script.dataset.consent = placeholder.dataset.consent;
  const src = placeholder.getAttribute('src');
  if (src) {
    script.src = policy.scriptURL(src);
    script.async = false;
  } else {
    script.text = policy.script(placeholder.text);
  }
  return script;
}

function describe(placeholder: HTMLScriptElement): string {
  return placeholder.getAttribute('src') ?? `inline, for ${placeholder.dataset.consent}`;
}
