/**
 * The receiver's OpenAPI 3.1 document, generated from the zod schemas the
 * receiver itself validates with (`schemas.ts`, core's receipt schema): no
 * hand-kept twin. The build writes it to `openapi.json` in this package
 * (`write-openapi.ts`); the receiver serves it at `GET /openapi.json`.
 */
import * as z from 'zod/mini';
import { SHA256_PATTERN } from '@akkoord/core/notice';
import {
  ConsentReceiptSchema,
  ErrorBodySchema,
  HealthSchema,
  JwksSchema,
  MAX_BATCH_ITEMS,
  NoticeDocumentSchema,
  ReceiptAnswerSchema,
  ReceiptBatchAnswerSchema,
  ReceiptBatchSchema,
  RightsRequestAnswerSchema,
  RightsRequestSchema,
  SubjectConsentSchema,
  SubjectRequestsSchema,
  SubjectHistorySchema,
  VerifyAnswerSchema,
  VerifyRequestSchema,
} from '@akkoord/core/sync';
import { EVENT_SCHEMAS, eventOpenApiPaths } from './events-routes.js';
import { BACK_OFFICE_SCHEMAS, BACK_OFFICE_SECURITY_SCHEMES, backOfficePaths } from './backoffice-openapi.js';

const SCHEMAS = {
  ConsentReceipt: ConsentReceiptSchema,
  ReceiptAnswer: ReceiptAnswerSchema,
  ReceiptBatch: ReceiptBatchSchema,
  ReceiptBatchAnswer: ReceiptBatchAnswerSchema,
  SubjectConsent: SubjectConsentSchema,
  SubjectHistory: SubjectHistorySchema,
  NoticeDocument: NoticeDocumentSchema,
  Jwks: JwksSchema,
  VerifyRequest: VerifyRequestSchema,
  VerifyAnswer: VerifyAnswerSchema,
  RightsRequest: RightsRequestSchema,
  RightsRequestAnswer: RightsRequestAnswerSchema,
  SubjectRequests: SubjectRequestsSchema,
  Health: HealthSchema,
  Error: ErrorBodySchema,
  ...EVENT_SCHEMAS,
  ...BACK_OFFICE_SCHEMAS,
} as const;

type SchemaName = keyof typeof SCHEMAS;
type JsonObject = Record<string, unknown>;

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: SchemaName, description: string, headers?: JsonObject) => ({
  description,
  ...(headers && { headers }),
  content: { 'application/json': { schema: ref(name) } },
});
const error = (description: string, headers?: JsonObject) => json('Error', description, headers);
const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } },
};
const subjectParameter = {
  name: 'subjectId',
  in: 'path',
  required: true,
  description: 'The pseudonymous principal id (`piiPrincipalId`) of the subject.',
  schema: { type: 'string', minLength: 1 },
};
const readSecurity = [{ hostAuthorization: [] }];

/** The document; the same for every call. */
export function buildOpenApi(): JsonObject {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(SCHEMAS)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  }).schemas as Record<string, JsonObject>;
  const schemas: Record<string, JsonObject> = {};
  for (const name of Object.keys(SCHEMAS)) {
    // OpenAPI 3.1 documents are in the 2020-12 dialect already; the member ids would be fragments.
    const { $schema: _dialect, $id: _id, ...schema } = generated[name]!;
    schemas[name] = schema;
  }
  schemas.ConsentReceipt!.description =
    'A Kantara Consent Receipt 1.1 (version "KI-CR-v1.1.0") with the extension member `akkoord`. ' +
    'Rules the JSON Schema cannot say: `spiCat` is non-empty when `sensitive`; `consentTimestamp` is `akkoord.decidedAt` in whole seconds; ' +
    '`thirdPartyName` is present exactly when `thirdPartyDisclosure` is true.';

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Akkoord receiver',
      version: '0.0.0',
      summary: 'Stores consent receipts exactly once, countersigns them, and answers a subject its own history.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    paths: {
      '/receipts': {
        post: {
          operationId: 'postReceipt',
          summary: 'Store a consent receipt (idempotent, chained per subject)',
          description:
            'Validates the receipt, checks that it names the subject\'s latest stored receipt as `akkoord.previousReceiptHash` (null for the first), ' +
            'stores it durably and answers with a countersignature: a compact JWS (ES256) whose payload is the receipt as canonical JSON. ' +
            'A repeat of the same body with the same key gets the stored answer again (200); it is never stored twice.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              description: "The receipt's `consentReceiptID`.",
              schema: { type: 'string' },
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('ConsentReceipt') } } },
          responses: {
            '201': json('ReceiptAnswer', 'Stored now.'),
            '200': json('ReceiptAnswer', 'Stored before: the same answer as then.'),
            '400': error('`invalid-json`, `invalid-receipt` (with `issues`) or `idempotency-key-mismatch`.'),
            '403': error('`forbidden`: the host does not accept receipts from this caller.'),
            '409': error('`chain-conflict`: `previousReceiptHash` is not the head of the chain; `latestReceiptHash` is.'),
            '413': error('`payload-too-large`.'),
            '415': error('`unsupported-media-type`: send `application/json`.'),
            '422': error('`idempotency-conflict` (this id was stored with another body) or `unknown-notice`.'),
            '429': error('`rate-limited`, from a rate limiter the host puts in front of the receiver.', retryAfter),
            '503': error('`busy`: try again later.', retryAfter),
          },
        },
      },
      '/receipts/batch': {
        post: {
          operationId: 'postReceiptBatch',
          summary: `Store up to ${MAX_BATCH_ITEMS} consent receipts in one request, each as \`POST /receipts\` would`,
          description:
            'For a client with a backlog (an outbox draining after hours offline). Each item is taken exactly as a `POST /receipts` ' +
            'of its receipt with its `idempotencyKey` as the `Idempotency-Key` header would be, in the order of the items: the same checks and the same answer, ' +
            'given per item in `results`, in order. Items of one subject\'s chain are applied in order, so a batch may carry a chain; ' +
            'an item refused (409, 422, 400, …) does not undo the items stored before it, and the items built on it are refused with `chain-conflict` in turn. ' +
            'Each receipt is held to the body limit of `POST /receipts` (64 KiB by default): a larger one is refused as an item, 413 `payload-too-large`. ' +
            'The receiver writes the batch in one transaction. A retry of the same items gets the stored answers again (200 per item): never stored twice. ' +
            `More than ${MAX_BATCH_ITEMS} items, or a body over the batch limit (1 MiB by default), is a 413; a receiver without this path answers 404, ` +
            'and a client then sends the receipts one by one.',
          requestBody: { required: true, content: { 'application/json': { schema: ref('ReceiptBatch') } } },
          responses: {
            '200': json('ReceiptBatchAnswer', 'Taken: one result per item, in order, each with the status a `POST /receipts` of it would have had.'),
            '400': error('`invalid-json`, or `invalid-request` (with `issues`): not `{ items: [{ idempotencyKey, receipt }, …] }` with at least one item.'),
            '413': error(`\`payload-too-large\`: more than ${MAX_BATCH_ITEMS} items, or a body over the limit.`),
            '415': error('`unsupported-media-type`: send `application/json`.'),
            '429': error('`rate-limited`, from a rate limiter the host puts in front of the receiver.', retryAfter),
            '503': error('`busy`: send the whole batch again later (items already stored are answered again, 200).', retryAfter),
          },
        },
      },
      '/subjects/{subjectId}/consent': {
        get: {
          operationId: 'getSubjectConsent',
          summary: "The subject's current decisions, per notice",
          parameters: [subjectParameter],
          security: readSecurity,
          responses: {
            '200': json('SubjectConsent', 'The latest decisions per notice id, and the head of the chain.'),
            '403': error('`forbidden`: the host did not admit this caller for this subject.'),
          },
        },
      },
      '/subjects/{subjectId}/receipts': {
        get: {
          operationId: 'getSubjectReceipts',
          summary: "The subject's receipts with their countersignatures, oldest first",
          parameters: [subjectParameter],
          security: readSecurity,
          responses: {
            '200': json('SubjectHistory', 'The chain, oldest first.'),
            '403': error('`forbidden`: the host did not admit this caller for this subject.'),
          },
        },
      },
      '/requests': {
        post: {
          operationId: 'postRightsRequest',
          summary: 'Make a request to use a GDPR right (access, rectification, erasure, …) about a subject',
          description:
            "For registrars that take requests online (the notice's `online` request channel). The host's `authorize(request, subjectId)` " +
            'hook must admit the caller for `subject`: a person asks only about their own data. The request is stored durably and answered ' +
            'with a `requestId` the person keeps. A repeat with the same `Idempotency-Key` (per subject) and body gets the same answer (200).',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              description: 'Chosen by the client, one per request and the same for its retries: 1–200 visible ASCII characters.',
              schema: { type: 'string', minLength: 1, maxLength: 200 },
            },
          ],
          security: readSecurity,
          requestBody: { required: true, content: { 'application/json': { schema: ref('RightsRequest') } } },
          responses: {
            '201': json('RightsRequestAnswer', 'Received now.'),
            '200': json('RightsRequestAnswer', 'Received before under this key: the same answer as then.'),
            '400': error('`invalid-json`, or `invalid-request` (with `issues`): the body, the right, or the Idempotency-Key.'),
            '403': error('`forbidden`: the host did not admit this caller for this subject.'),
            '404': error('`not-found`: this receiver takes no requests.'),
            '413': error('`payload-too-large`.'),
            '415': error('`unsupported-media-type`: send `application/json`.'),
            '422': error('`idempotency-conflict` (this key was used with another body) or `unknown-notice`.'),
            '503': error('`busy`: try again later.', retryAfter),
          },
        },
      },
      '/subjects/{subjectId}/requests': {
        get: {
          operationId: 'getSubjectRequests',
          summary: "The subject's requests to use a right, oldest first",
          parameters: [subjectParameter],
          security: readSecurity,
          responses: {
            '200': json('SubjectRequests', 'Each request with its id and when it was received.'),
            '403': error('`forbidden`: the host did not admit this caller for this subject.'),
            '404': error('`not-found`: this receiver takes no requests.'),
          },
        },
      },
      '/notices/{hash}': {
        get: {
          operationId: 'getNotice',
          summary: 'A notice document by its hash (every hash a stored receipt names resolves)',
          parameters: [
            {
              name: 'hash',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: SHA256_PATTERN.source },
            },
          ],
          responses: {
            '200': json('NoticeDocument', 'The document; its canonical JSON hashes to `hash`.'),
            '404': error('`not-found`.'),
          },
        },
      },
      '/verify': {
        post: {
          operationId: 'verifyCountersignature',
          summary: 'Check a countersignature: ours, intact, and naming a receipt we hold',
          requestBody: { required: true, content: { 'application/json': { schema: ref('VerifyRequest') } } },
          responses: {
            '200': json('VerifyAnswer', 'Genuine.'),
            '400': error('`invalid-json` or `invalid-request`.'),
            '404': error('`not-found`: a valid signature, but no such receipt is stored.'),
            '413': error('`payload-too-large`.'),
            '415': error('`unsupported-media-type`.'),
            '422': error('`invalid-countersignature`: forged, edited, or signed with a key we do not publish.'),
          },
        },
      },
      '/.well-known/jwks.json': {
        get: {
          operationId: 'getJwks',
          summary: 'The public key(s) that verify countersignatures',
          responses: { '200': json('Jwks', 'A JWK Set (RFC 7517).') },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1.', content: { 'application/json': {} } } },
        },
      },
      '/health': {
        get: {
          operationId: 'getHealth',
          summary: 'Liveness',
          responses: { '200': json('Health', 'Up.') },
        },
      },
      ...eventOpenApiPaths(json, error),
      ...backOfficePaths({ ref: (name) => ref(name as SchemaName), json: (name, d, h) => json(name as SchemaName, d, h), error, retryAfter }),
    },
    components: {
      schemas,
      securitySchemes: {
        hostAuthorization: {
          type: 'http',
          scheme: 'bearer',
          description:
            "Whatever the host's `authorize(request, subjectId)` hook accepts (a session cookie, a bearer token). " +
            'The demo CLI flag `--demo-auth` accepts `Bearer demo:<subjectId>`: for demos only.',
        },
        ...BACK_OFFICE_SECURITY_SCHEMES,
      },
    },
  };
}
