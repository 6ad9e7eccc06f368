/** Locale matching, alone in its module: the banner needs it, and nothing else of the notice model. */

/**
 * The best of `available` for a reader who asked for `requested`, in order:
 * an exact tag, then the same language (`nl-BE` finds `nl`, `nl` finds
 * `nl-BE`), else `fallback`.
 */
export function matchLocale(requested: readonly string[], available: readonly string[], fallback: string): string {
  for (const wanted of requested) {
    const exact = available.find((a) => a.toLowerCase() === wanted.toLowerCase());
    if (exact) return exact;
    const language = wanted.split('-')[0]!.toLowerCase();
    const sameLanguage = available.find((a) => a.split('-')[0]!.toLowerCase() === language);
    if (sameLanguage) return sameLanguage;
  }
  return fallback;
}
