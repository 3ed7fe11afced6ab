/**
 * A self-signed X.509 v3 certificate over the deployment's signing key, written with the DER
 * writer (der.ts): what a subscriber downloads from `SigningCertURL` to verify a notification's
 * signature. Signed with sha256WithRSAEncryption by the key it certifies.
 */
import { bitString, explicit, integer, nullValue, objectIdentifier, octetString, sequence, set, time, utf8String } from "./der.js";

const OID = {
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  commonName: "2.5.4.3",
  organizationName: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
} as const;

export interface CertificateFields {
  commonName: string;
  organization: string;
  /** Big-endian magnitude; positive, at most 20 bytes. */
  serialNumber: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** The public key as WebCrypto exports it ("spki"): a SubjectPublicKeyInfo, already DER. */
  subjectPublicKeyInfo: Uint8Array;
}

const signatureAlgorithm = () => sequence(objectIdentifier(OID.sha256WithRSAEncryption), nullValue());

function name(fields: CertificateFields): Uint8Array {
  const attribute = (oid: string, value: string) => set(sequence(objectIdentifier(oid), utf8String(value)));
  return sequence(attribute(OID.organizationName, fields.organization), attribute(OID.commonName, fields.commonName));
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return sequence(objectIdentifier(oid), ...(critical ? [Uint8Array.of(0x01, 0x01, 0xff)] : []), octetString(value));
}

/**
 * The certificate's extensions: not a CA (an empty BasicConstraints), and its key only for
 * signatures (KeyUsage digitalSignature, bit 0: one byte 0x80 with 7 unused bits).
 */
const extensions = () =>
  explicit(
    3,
    sequence(
      extension(OID.basicConstraints, true, sequence()),
      extension(OID.keyUsage, true, bitString(Uint8Array.of(0x80), 7)),
    ),
  );

/** The TBSCertificate: everything the signature covers, in RFC 5280's field order. */
export function toBeSigned(fields: CertificateFields): Uint8Array {
  const subject = name(fields);
  return sequence(
    explicit(0, integer(2)), // version v3
    integer(fields.serialNumber),
    signatureAlgorithm(),
    subject, // issuer: self-signed
    sequence(time(fields.notBefore), time(fields.notAfter)),
    subject,
    fields.subjectPublicKeyInfo,
    extensions(),
  );
}

/** The DER certificate, signed by `privateKey` (RSASSA-PKCS1-v1_5 with SHA-256, the subject's own key). */
export async function selfSignedCertificate(fields: CertificateFields, privateKey: CryptoKey): Promise<Uint8Array> {
  const tbs = toBeSigned(fields);
  const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", privateKey, tbs));
  return sequence(tbs, signatureAlgorithm(), bitString(signature));
}
