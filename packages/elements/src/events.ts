/**
 * The events our elements fire. They are core's classes, re-exported: one
 * class per event type on a page, so `instanceof` holds whether the
 * controller or an element dispatched it, and `GlobalEventHandlersEventMap`
 * is extended once (in core).
 *
 * `consent-error` (`ConsentErrorEvent`) bubbles and is composed; it carries
 * `code` (`'notice-fetch-failed'`, `'notice-invalid'`, …), a developer
 * `message` in English, and `issues` (`{path, message}[]`, the validation
 * issues of an invalid notice; empty otherwise).
 */
export { ConsentChangeEvent, ConsentErrorEvent, ConsentSyncEvent, type ConsentErrorCode } from '@akkoord/core/consent/events';
