/**
 * Akkoord's one Trusted Types policy, `akkoord`. A page that sends
 * `require-trusted-types-for 'script'` refuses a plain string for a script's
 * `src` or text; the scripts Akkoord starts (the `<script type="text/plain">`
 * a registrar gated in its own markup) go through this policy instead, and
 * the page's `trusted-types` directive must name it.
 *
 * The policy passes values through unchanged: what it vouches for is where
 * they come from (the host's own markup, read by Akkoord's code only), not
 * their content. It is reachable from this module only.
 */

/** The name a host's `trusted-types` directive must allow. */
export const TRUSTED_TYPES_POLICY = 'akkoord';

/** The part of a Trusted Types policy we use; without Trusted Types, the strings themselves. */
export interface ScriptPolicy {
  scriptURL(url: string): string;
  script(code: string): string;
}

interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createScriptURL(url: string): string; createScript(code: string): string }): {
    createScriptURL(url: string): unknown;
    createScript(code: string): unknown;
  };
}

const PLAIN: ScriptPolicy = { scriptURL: (url) => url, script: (code) => code };

let policy: ScriptPolicy | Error | undefined;

/**
 * The policy, created on first use and only where the browser has Trusted
 * Types; an Error (never thrown) when the page's policy does not allow the
 * name, or allows it once and another copy of Akkoord took it first.
 */
export function scriptPolicy(): ScriptPolicy | Error {
  if (policy) return policy;
  const factory = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (!factory) return (policy = PLAIN);
  try {
    const created = factory.createPolicy(TRUSTED_TYPES_POLICY, { createScriptURL: (url) => url, createScript: (code) => code });
    // The browser's sinks take the trusted objects; typed as strings here because the DOM typings know no Trusted Types.
    policy = {
      scriptURL: (url) => created.createScriptURL(url) as string,
      script: (code) => created.createScript(code) as string,
    };
  } catch (error) {
    policy = new Error(
      `This page's Content-Security-Policy requires Trusted Types for scripts, and its \`trusted-types\` directive does not allow ` +
        `the policy "${TRUSTED_TYPES_POLICY}" (${error instanceof Error ? error.message : String(error)}). Add \`${TRUSTED_TYPES_POLICY}\` ` +
        `to \`trusted-types\` (with 'allow-duplicates' if the page loads Akkoord twice), or scripts that wait for consent cannot run.`,
    );
  }
  return policy;
}
