/**
 * Scripts that wait for consent: `<script type="text/plain" data-consent="marketing">`
 * (inline or with `src`) runs once, when that purpose is granted, never
 * before. Activated scripts keep document order: external ones are inserted
 * with `async = false`, which browsers run in insertion order.
 */
import type { ConsentController } from './controller.js';

const SELECTOR = 'script[type="text/plain"][data-consent]';
const DONE = 'data-consent-activated';

/**
 * Watches `root` for gated scripts and runs each one whose purpose the
 * controller says is granted, now or later, until the returned function is
 * called or the controller is disposed.
 */
export function activateGatedScripts(controller: ConsentController, root: Document | Element = document): () => void {
  const activate = () => {
    for (const placeholder of root.querySelectorAll<HTMLScriptElement>(SELECTOR)) {
      if (placeholder.hasAttribute(DONE)) continue;
      const purposes = (placeholder.dataset.consent ?? '').split(/\s+/).filter(Boolean);
      // A script that names several purposes needs all of them.
      if (purposes.length === 0 || !purposes.every((id) => controller.isGranted(id))) continue;
      placeholder.setAttribute(DONE, '');
      placeholder.after(runnable(placeholder));
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

function runnable(placeholder: HTMLScriptElement): HTMLScriptElement {
  const script = document.createElement('script');
  for (const { name, value } of placeholder.attributes) {
    if (name === 'type' || name === DONE || name === 'data-consent') continue;
    script.setAttribute(name, value);
  }
  // `data-type="module"` lets a gated script be a module once it runs.
  const type = placeholder.dataset.type;
  if (type) script.type = type;
  script.dataset.consent = placeholder.dataset.consent;
  if (placeholder.src) script.async = false;
  else script.text = placeholder.text;
  return script;
}
