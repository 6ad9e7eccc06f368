/**
 * A custom element without Lit that hosts the same reactive controllers as a
 * LitElement (LocaleController, ConsentBinding). Its subclass renders with
 * plain DOM, into a shadow root of its own. The banner is one: its first
 * paint must not wait for Lit.
 *
 * Updates are batched into a microtask, as Lit's are; `updateComplete`
 * resolves when none is pending. Properties set before the element was
 * upgraded (Akkoord defines its tags on demand) are taken over, as Lit does.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export abstract class ControllerHostElement extends HTMLElement implements ReactiveControllerHost {
  #controllers = new Set<ReactiveController>();
  #pending = false;
  #connected = false;
  #done: Promise<boolean> = Promise.resolve(true);

  /** Takes over the values a page set on these properties before the element was upgraded. */
  protected adoptProperties(names: readonly string[]): void {
    for (const name of names) {
      if (!Object.prototype.hasOwnProperty.call(this, name)) continue;
      const value = (this as Record<string, unknown>)[name];
      delete (this as Record<string, unknown>)[name];
      (this as Record<string, unknown>)[name] = value;
    }
  }

  addController(controller: ReactiveController): void {
    this.#controllers.add(controller);
    // Added after connecting: it is told now (before, connectedCallback tells it), as Lit does.
    if (this.#connected) controller.hostConnected?.();
  }

  removeController(controller: ReactiveController): void {
    this.#controllers.delete(controller);
  }

  requestUpdate(): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#done = Promise.resolve().then(() => {
      this.#pending = false;
      try {
        this.update();
      } catch (error) {
        // A bug of ours must never break the host page: it is reported, like an uncaught error, and the page goes on.
        reportError(error);
      }
      for (const controller of this.#controllers) controller.hostUpdated?.();
      return true;
    });
  }

  /** Resolves once no update is pending, including updates an update asked for. */
  get updateComplete(): Promise<boolean> {
    return this.#done.then((result) => (this.#pending ? this.updateComplete : result));
  }

  connectedCallback(): void {
    this.#connected = true;
    for (const controller of this.#controllers) controller.hostConnected?.();
    this.requestUpdate();
  }

  disconnectedCallback(): void {
    this.#connected = false;
    for (const controller of this.#controllers) controller.hostDisconnected?.();
  }

  attributeChangedCallback(_name: string, _old: string | null, _value: string | null): void {
    this.requestUpdate();
  }

  /** Brings the shadow DOM up to date; called once per batch of changes. */
  protected abstract update(): void;
}
