/**
 * Google Consent Mode v2's signals, and what a notice's decisions make of
 * them: a notice says per consent purpose which signals it covers
 * (`consentMode` on the purpose); a signal is granted when every purpose
 * that names it is granted, and denied otherwise (a signal no purpose names
 * stays denied). Pure data, shared by the controller (which puts the signals
 * on its `consent-change` events) and the Consent Mode adapter.
 */
import type { ConsentNoticePurpose, Decision } from './types.js';

export const CONSENT_MODE_SIGNALS = [
  'ad_storage',
  'ad_user_data',
  'ad_personalization',
  'analytics_storage',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
] as const;
export type ConsentModeSignal = (typeof CONSENT_MODE_SIGNALS)[number];
export type ConsentModeState = Record<ConsentModeSignal, 'granted' | 'denied'>;

/** The signals for these decisions; undefined when the notice maps no purpose to Consent Mode. */
export function consentModeState(
  purposes: readonly ConsentNoticePurpose[],
  decisions: Readonly<Record<string, Decision>>,
): ConsentModeState | undefined {
  const mapped = purposes.filter((p) => p.id && p.consentMode?.length);
  if (!mapped.length) return undefined;
  const state = Object.fromEntries(CONSENT_MODE_SIGNALS.map((signal) => [signal, 'denied'])) as ConsentModeState;
  for (const signal of CONSENT_MODE_SIGNALS) {
    const covering = mapped.filter((p) => p.consentMode!.includes(signal));
    if (covering.length && covering.every((p) => decisions[p.id!] === 'granted')) state[signal] = 'granted';
  }
  return state;
}
