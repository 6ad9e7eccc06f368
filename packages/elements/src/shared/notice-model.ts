/**
 * The model code the notice page runs, in a module of its own so that it
 * loads on demand, next to the notice's fetch: validation brings zod, about
 * 11 kB gzipped, the largest part of the page's code.
 */
export { localizeNotice, validateNotice } from '@akkoord/core/notice';
