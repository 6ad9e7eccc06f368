/**
 * Elements on one page that name the same notice share one controller, so a
 * change in one shows in the others at once. The registry lives on
 * globalThis: a page that loads Akkoord twice (tag manager and npm) still
 * has one controller per notice and subject.
 */
import { ConsentController, type ConsentControllerOptions } from './controller.js';

const REGISTRY = Symbol.for('akkoord.consent-controllers');
type Registry = Map<string, ConsentController>;

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  return (holder[REGISTRY] ??= new Map());
}

/** The page's controller for this notice and subject, made on first use. */
export function getConsentController(options: ConsentControllerOptions): ConsentController {
  const key = `${options.notice.id}\u0000${options.subject ?? ''}`;
  let controller = registry().get(key);
  if (!controller || controller.notice.hash !== options.notice.hash) {
    controller?.dispose();
    controller = new ConsentController(options);
    registry().set(key, controller);
  }
  return controller;
}

/** Forgets every controller (tests, and hosts that swap notices). */
export function resetConsentControllers(): void {
  for (const controller of registry().values()) controller.dispose();
  registry().clear();
}
