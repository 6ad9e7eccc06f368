/**
 * The consent receipt: Kantara Consent Receipt 1.1 fields, plus what it
 * lacks under one extension member, `akkoord`: the decision per purpose,
 * which notice text was shown (id, version, hash, locale), and the hash of
 * the subject's previous receipt, so that a history is a tamper-evident chain,
 * and, for a decision carried over at sign-in, the receipt it came from.
 * Without `akkoord`, a receipt is valid under the Kantara 1.1 JSON schema.
 */
import * as z from 'zod/mini';
import { SHA256_PATTERN } from '../notice/canonical.js';

const nonEmpty = () => z.string().check(z.minLength(1));
/** A hash as Akkoord writes it (`sha256:` and hex): the notice's, a receipt's. */
export const sha256Hash = () => z.string().check(z.regex(SHA256_PATTERN, 'expected "sha256:" and 64 hex digits'));
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const ReceiptAddressSchema = z.strictObject({
  '@type': z.literal('PostalAddress'),
  streetAddress: nonEmpty(),
  postalCode: z.optional(nonEmpty()),
  addressLocality: z.optional(nonEmpty()),
  addressRegion: z.optional(nonEmpty()),
  addressCountry: z.string().check(z.regex(/^[A-Z]{2}$/)),
});

export const ReceiptPurposeSchema = z
  .strictObject({
    purpose: z.optional(nonEmpty()),
    consentType: z.literal('EXPLICIT'),
    purposeCategory: z.array(nonEmpty()).check(z.minLength(1)),
    piiCategory: z.array(nonEmpty()).check(z.minLength(1)),
    primaryPurpose: z.optional(z.boolean()),
    termination: nonEmpty(),
    thirdPartyDisclosure: z.boolean(),
    thirdPartyName: z.optional(nonEmpty()),
  })
  .check(
    z.refine((p) => p.thirdPartyDisclosure === (p.thirdPartyName !== undefined), {
      message: 'thirdPartyName is given exactly when thirdPartyDisclosure is true',
      path: ['thirdPartyName'],
    }),
  );

export const ReceiptExtensionSchema = z.strictObject({
  schemaVersion: z.literal(1),
  noticeId: nonEmpty(),
  noticeVersion: nonEmpty(),
  noticeHash: sha256Hash(),
  locale: nonEmpty(),
  /** `email-unsubscribe`: a withdrawal the receiver made for the person, from a mail's one-click unsubscribe link (RFC 8058). */
  method: z.enum(['accept-all', 'reject-all', 'preferences', 'api', 'gpc', 'email-unsubscribe']),
  decisions: z.record(z.string(), z.enum(['granted', 'denied'])),
  /** Epoch milliseconds: more precise than Kantara's seconds, to order a chain. */
  decidedAt: z.number().check(z.int(), z.nonnegative()),
  expiresAt: z.number().check(z.int(), z.nonnegative()),
  previousReceiptHash: z.nullable(sha256Hash()),
  /**
   * A decision made before sign-in, carried over to the customer: the
   * pseudonym it was made under and the id of that pseudonym's receipt.
   */
  carriedOver: z.optional(z.strictObject({ subject: nonEmpty(), receiptId: z.string().check(z.regex(UUID_V4, 'expected a UUID v4')) })),
});

export const ConsentReceiptSchema = z
  .strictObject({
    version: z.literal('KI-CR-v1.1.0'),
    jurisdiction: nonEmpty(),
    consentTimestamp: z.number().check(z.int(), z.nonnegative()),
    collectionMethod: nonEmpty(),
    consentReceiptID: z.string().check(z.regex(UUID_V4, 'expected a UUID v4')),
    publicKey: z.optional(nonEmpty()),
    language: nonEmpty(),
    piiPrincipalId: nonEmpty(),
    piiControllers: z
      .array(
        z.strictObject({
          piiController: nonEmpty(),
          onBehalf: z.optional(z.boolean()),
          contact: nonEmpty(),
          address: ReceiptAddressSchema,
          email: nonEmpty(),
          /** RFC 3966 (`tel:+31-20-...`); empty only when the controller publishes no number. */
          phone: z.string().check(z.regex(/^(tel:\+[0-9][0-9-]*)?$/, 'expected an RFC 3966 tel: URI')),
          piiControllerUrl: z.optional(nonEmpty()),
        }),
      )
      .check(z.minLength(1)),
    policyUrl: nonEmpty(),
    services: z
      .array(z.strictObject({ service: nonEmpty(), purposes: z.array(ReceiptPurposeSchema) }))
      .check(z.minLength(1)),
    sensitive: z.boolean(),
    spiCat: z.array(nonEmpty()),
    akkoord: ReceiptExtensionSchema,
  })
  .check(
    z.refine((r) => !r.sensitive || r.spiCat.length > 0, {
      message: 'a sensitive receipt names its special categories (spiCat)',
      path: ['spiCat'],
    }),
    z.refine((r) => r.consentTimestamp === Math.floor(r.akkoord.decidedAt / 1000), {
      message: 'consentTimestamp is the decision time in seconds',
      path: ['consentTimestamp'],
    }),
  );

export type ConsentReceipt = z.infer<typeof ConsentReceiptSchema>;
export type ReceiptPurpose = z.infer<typeof ReceiptPurposeSchema>;
