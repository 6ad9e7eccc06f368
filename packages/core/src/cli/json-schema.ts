/**
 * The notice document's JSON Schema, derived from the zod schema itself, so
 * that an editor completes and flags the same fields `check` validates. What
 * JSON Schema cannot say (rules across fields, a text in every declared
 * locale) stays with `check`. The package ships it as notice.schema.json.
 */
import * as z from 'zod/mini';
import { createNoticeSchema } from '../notice/schema.js';

export function noticeJsonSchema(): Record<string, unknown> {
  // Locale keys are the document's own, which a schema for every document cannot list: any string here.
  const schema = z.toJSONSchema(createNoticeSchema(z.string()), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://github.com/akkoord/akkoord/blob/main/packages/core/notice.schema.json',
    title: 'Akkoord notice document',
    description: 'A privacy notice for @akkoord/core. Validate it with `npx akkoord-notice check`, which also applies the rules across fields.',
  };
}
