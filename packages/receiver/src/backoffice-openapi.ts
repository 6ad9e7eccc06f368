/**
 * The back office's part of the OpenAPI document: its schemas (from
 * `backoffice-contract.ts`), its paths, and the security scheme of its API
 * keys. `openapi.ts` merges it into the one document.
 */
import {
  ConsentCheckAnswerSchema,
  ConsentCheckRequestSchema,
  MAX_CHECK_SUBJECTS,
  SubjectLineSchema,
  SubjectStreamEndSchema,
  UnsubscribeAnswerSchema,
  UnsubscribeTokenAnswerSchema,
  UnsubscribeTokenRequestSchema,
} from './backoffice-contract.js';

type JsonObject = Record<string, unknown>;

export const BACK_OFFICE_SCHEMAS = {
  ConsentCheckRequest: ConsentCheckRequestSchema,
  ConsentCheckAnswer: ConsentCheckAnswerSchema,
  SubjectLine: SubjectLineSchema,
  SubjectStreamEnd: SubjectStreamEndSchema,
  UnsubscribeTokenRequest: UnsubscribeTokenRequestSchema,
  UnsubscribeTokenAnswer: UnsubscribeTokenAnswerSchema,
  UnsubscribeAnswer: UnsubscribeAnswerSchema,
} as const;

/** Back-office API keys: `Authorization: Bearer akk_<id>_<secret>`, from `akkoord-receiver keys create`. */
export const BACK_OFFICE_SECURITY_SCHEMES = {
  backOfficeKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'akk_<16 hex id>_<43 base64url characters>',
    description:
      'A back-office API key made with `akkoord-receiver keys create --scope …`; each route names the one scope it needs. ' +
      'No key, an unknown or a revoked key: 401 with `WWW-Authenticate: Bearer`. A valid key without the scope: 403. ' +
      "A key never opens a subject's route, and a subject's credential never opens a back-office route.",
  },
};

export interface OpenApiHelpers {
  ref: (name: string) => JsonObject;
  json: (name: string, description: string, headers?: JsonObject) => JsonObject;
  error: (description: string, headers?: JsonObject) => JsonObject;
  retryAfter: JsonObject;
}

const keyScope = (scope: string) => [{ backOfficeKey: [scope] }];
const refusedKey = (h: OpenApiHelpers, scope: string) => ({
  '401': h.error('`unauthorized`: no back-office API key, or an unknown or revoked one.', {
    'WWW-Authenticate': { description: '`Bearer realm="akkoord-back-office"`', schema: { type: 'string' } },
  }),
  '403': h.error(`\`forbidden\`: the key does not have the scope \`${scope}\`.`),
});
const purposeParameter = {
  name: 'purpose',
  in: 'path',
  required: true,
  description: 'A consent purpose id of the notice.',
  schema: { type: 'string', minLength: 1 },
};
const tokenParameter = {
  name: 'token',
  in: 'path',
  required: true,
  description: 'The token of a URL minted by `POST /unsubscribe/tokens`.',
  schema: { type: 'string' },
};
const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });

export function backOfficePaths(h: OpenApiHelpers): Record<string, JsonObject> {
  return {
    '/consent/check': {
      post: {
        operationId: 'checkConsent',
        summary: `Whom may I mail: the current decision of up to ${MAX_CHECK_SUBJECTS.toLocaleString('en')} subjects for one purpose`,
        description:
          'Answered from the current-state table, kept in the same transaction as every stored receipt: per subject `granted` or `denied` ' +
          '(the decision the person made last under the notice, as `GET /subjects/{id}/consent` shows it) with the id of the receipt that holds it, ' +
          'or `unknown` (never decided, or decided but past `expiresAt`, when the banner asks again). ' +
          '`notice` is needed only when several notices known to the receiver ask consent for the purpose.',
        security: keyScope('consent:read'),
        requestBody: { required: true, content: { 'application/json': { schema: h.ref('ConsentCheckRequest') } } },
        responses: {
          '200': h.json('ConsentCheckAnswer', 'One result per subject, in the order asked.'),
          '400': h.error(`\`invalid-json\`, or \`invalid-request\` (with \`issues\`): more than ${MAX_CHECK_SUBJECTS} subjects, an unknown purpose, or a purpose several notices ask for without \`notice\`.`),
          ...refusedKey(h, 'consent:read'),
          '413': h.error('`payload-too-large`: a body over 4 MiB.'),
          '415': h.error('`unsupported-media-type`: send `application/json`.'),
          '503': h.error('`busy`: try again later.', h.retryAfter),
        },
      },
    },
    '/purposes/{purpose}/subjects': {
      get: {
        operationId: 'streamSubjectsOfPurpose',
        summary: 'Every subject whose decision for a purpose is in one state, streamed as NDJSON, resumable',
        description:
          'A mailing list of any size: one JSON line per subject (`SubjectLine`), in subject order, read from the database page by page while it is sent. ' +
          'The last line is `SubjectStreamEnd`: `next` is the cursor to continue with when `limit` was reached, null when the list is complete. ' +
          'A response without that last line was cut off: continue with `after` set to the `cursor` of the last subject line received; ' +
          'nothing is lost or repeated. Decisions past `expiresAt` are left out (they are `unknown`).',
        security: keyScope('consent:read'),
        parameters: [
          purposeParameter,
          { name: 'state', in: 'query', required: false, schema: { type: 'string', enum: ['granted', 'denied'], default: 'granted' } },
          { name: 'after', in: 'query', required: false, description: 'A `cursor` or `next` from an earlier answer.', schema: { type: 'string' } },
          { name: 'limit', in: 'query', required: false, description: 'Most subject lines in this answer. Default: all.', schema: { type: 'integer', minimum: 1 } },
          { name: 'notice', in: 'query', required: false, description: 'As in `POST /consent/check`.', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'NDJSON: `SubjectLine` lines, then one `SubjectStreamEnd` line.',
            content: { 'application/x-ndjson': { schema: { oneOf: [h.ref('SubjectLine'), h.ref('SubjectStreamEnd')] } } },
          },
          '400': h.error('`invalid-request`: a bad `state`, `limit` or `after`, an unknown purpose, or an ambiguous one without `notice`.'),
          ...refusedKey(h, 'consent:read'),
          '503': h.error('`busy`: try again later.', h.retryAfter),
        },
      },
    },
    '/unsubscribe/tokens': {
      post: {
        operationId: 'mintUnsubscribeUrl',
        summary: "A one-click unsubscribe URL (RFC 8058) for one subject and purpose, with the mail's two headers",
        description:
          'The URL holds a token signed by the receiver (HMAC-SHA256 with a secret in its data directory) that binds the subject, the notice and the purpose ' +
          'and cannot be altered or turned to another purpose. Put `listUnsubscribe` in the mail\'s `List-Unsubscribe` header and `listUnsubscribePost` in ' +
          '`List-Unsubscribe-Post`, and sign both headers with DKIM.',
        security: keyScope('unsubscribe:mint'),
        requestBody: { required: true, content: { 'application/json': { schema: h.ref('UnsubscribeTokenRequest') } } },
        responses: {
          '201': h.json('UnsubscribeTokenAnswer', 'The URL and the header values.'),
          '400': h.error('`invalid-json`, or `invalid-request` (with `issues`).'),
          ...refusedKey(h, 'unsubscribe:mint'),
          '404': h.error('`not-found`: this receiver was started without a public URL (`--public-url`), so it mints no unsubscribe URLs.'),
          '415': h.error('`unsupported-media-type`: send `application/json`.'),
        },
      },
    },
    '/unsubscribe/{token}': {
      get: {
        operationId: 'showUnsubscribePage',
        summary: 'A page with one button that withdraws (Dutch or English by Accept-Language); changes nothing itself',
        description: 'For a person who opens the link. Link scanners of mail providers fetch it too, which is why it never withdraws anything.',
        security: [],
        parameters: [tokenParameter],
        responses: {
          '200': html('The page.'),
          '400': html('The link is damaged, was not made here, or has expired.'),
        },
      },
      post: {
        operationId: 'unsubscribe',
        summary: 'One-click unsubscribe: withdraws the one purpose through a countersigned receipt in the subject\'s chain',
        description:
          'As a mail client sends it (RFC 8058): no cookies, no credentials, body `List-Unsubscribe=One-Click` as `application/x-www-form-urlencoded`; the button of the page ' +
          'sends the same. The receiver appends a receipt (method `email-unsubscribe`) under the notice the subject decided under last, with this purpose denied ' +
          'and every other decision as it was. When the purpose is not granted (a repeat), nothing is stored and the answer is "already unsubscribed". ' +
          'The answer is a small page, or JSON with `Accept: application/json`.',
        security: [],
        parameters: [tokenParameter],
        requestBody: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { 'List-Unsubscribe': { const: 'One-Click' } }, required: ['List-Unsubscribe'] } } },
        },
        responses: {
          '200': {
            description: 'Withdrawn now, or already: the page, or `UnsubscribeAnswer` as JSON.',
            content: { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: h.ref('UnsubscribeAnswer') } },
          },
          '400': {
            description: 'The link is damaged, was not made here or has expired, or the body is not `List-Unsubscribe=One-Click`.',
            content: { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: h.ref('Error') } },
          },
          '404': {
            description: 'The subject has no decision for this purpose to withdraw.',
            content: { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: h.ref('Error') } },
          },
          '503': h.error('`busy`: try again later.', h.retryAfter),
        },
      },
    },
  };
}
