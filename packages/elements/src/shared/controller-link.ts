/**
 * The half of ConsentBinding that needs the consent controller, loaded with
 * it (the `consent` chunk), so the banner's first paint carries neither:
 * the page's shared controller for a notice, consent-gated scripts, and the
 * relay of the controller's events through the elements that show it.
 *
 * Events are dispatched again from the first connected element of a
 * controller only, so a host listening on the document hears each change
 * once, however many elements show it.
 */
import type { FirstLayer } from '@akkoord/core/notice';
import { activateGatedScripts, getConsentController, type ConsentController } from '@akkoord/core/consent';
import type { ConsentBinding, ConsentHost } from './consent-binding.js';
import { devLater as dev } from './dev-later.js';

const speakers = new WeakMap<ConsentController, HTMLElement[]>();
const gated = new WeakSet<ConsentController>();
const relays = new WeakMap<ConsentHost, (event: Event) => void>();
const EVENTS = ['consent-change', 'consent-error', 'consent-sync'] as const;

/** The page's controller for the host's notice and subject; gated scripts follow it from now on. */
export function controllerFor(host: ConsentHost, layer: FirstLayer): ConsentController {
  const controller = getConsentController({
    notice: layer,
    subject: host.subject || undefined,
    locale: layer.locale,
    sync: host.endpoint ? { endpoint: host.endpoint, headers: host.credentials } : undefined,
    // The banner has no property for it (its first load has no bytes to spare): the attribute, read here.
    cookieDomain: host.cookieDomain || host.getAttribute('cookie-domain') || undefined,
  });
  controller.locale = layer.locale;
  if (!gated.has(controller)) {
    gated.add(controller);
    activateGatedScripts(controller, document);
  }
  return controller;
}

/**
 * Binds an element's ConsentBinding to the page's controller for `layer`
 * (the one it has, or a new one for a new notice or subject); resolves once
 * the controller has read the stored decision.
 */
export async function bind(binding: ConsentBinding, layer: FirstLayer): Promise<ConsentController> {
  const host = binding.host;
  // The developer's checks of what the element was given, off the first paint.
  dev((checks) => {
    checks.checkEndpoint(host);
    checks.checkLang(host, layer.locales);
  });
  const controller = controllerFor(host, layer);
  if (controller !== binding.controller) {
    if (binding.controller) unlisten(host, binding.controller);
    binding.controller = controller;
    binding.ready = false;
    if (host.isConnected) listen(host, controller);
    void controller.ready.then(() => {
      if (binding.controller !== controller) return;
      binding.ready = true;
      binding.firstVisit = false;
      host.requestUpdate();
    });
  }
  await controller.ready;
  return controller;
}

/** The host re-renders on every event of the controller, and speaks for it if it is the first. */
export function listen(host: ConsentHost, controller: ConsentController): void {
  const list = speakers.get(controller) ?? [];
  if (!list.includes(host)) list.push(host);
  speakers.set(controller, list);
  let relay = relays.get(host);
  if (!relay) {
    relay = (event: Event) => {
      host.requestUpdate();
      if (speakers.get(event.target as ConsentController)?.[0] === host) {
        host.dispatchEvent((event as Event & { clone(): Event }).clone());
      }
    };
    relays.set(host, relay);
  }
  for (const type of EVENTS) controller.addEventListener(type, relay);
}

export function unlisten(host: ConsentHost, controller: ConsentController): void {
  const list = speakers.get(controller) ?? [];
  const index = list.indexOf(host);
  if (index >= 0) list.splice(index, 1);
  const relay = relays.get(host);
  if (relay) for (const type of EVENTS) controller.removeEventListener(type, relay);
}
