// X.509 certificates made at run time with Node's crypto only: a minimal DER encoder for the few ASN.1 types a
// certificate needs, EC P-256 keys and ECDSA-SHA256 signatures. No openssl binary, no dependency.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
} from "node:crypto";
import { isIPv4 } from "node:net";

export interface CertificateRequest {
  commonName: string;
  /** A CA certificate (basicConstraints CA:TRUE, keyCertSign) instead of a TLS server certificate. */
  ca?: boolean;
  /** The CA that signs the certificate; self-signed when absent. */
  issuer?: IssuedCertificate;
  /** IPv4 addresses for subjectAltName (server certificates only). */
  ipAddresses?: string[];
  /** Host names for subjectAltName (server certificates only). */
  dnsNames?: string[];
  /** Validity period; default: from five minutes ago for one day. A past `notAfter` makes an expired certificate. */
  notBefore?: Date;
  notAfter?: Date;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  /** Kept so certificates it signs can name it as their issuer byte for byte. */
  commonName: string;
}

const VALIDITY_MS = 24 * 60 * 60 * 1000;
// Tolerates a little clock skew between the signer and the verifier.
const BACKDATE_MS = 5 * 60 * 1000;

const OID = {
  commonName: "2.5.4.3",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
};

// --- DER ------------------------------------------------------------------------------------------------------

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, inner: Buffer) => tlv(0xa0 + n, inner);
const octetString = (bytes: Buffer) => tlv(0x04, bytes);
const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, "utf8"));
const boolean = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));

/** A non-negative INTEGER from big-endian bytes (a leading 0x00 keeps the sign bit clear). */
function integer(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) base128.unshift(0x80 | (v & 0x7f));
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime, YYMMDDHHMMSSZ (valid for years 1950–2049, as RFC 5280 requires for those years). */
function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-11-24T11:13:36.055Z
  const digits = iso.slice(2, 19).replace(/[-T:]/g, "");
  return tlv(0x17, Buffer.from(`${digits}Z`, "ascii"));
}

// --- certificate ----------------------------------------------------------------------------------------------

const name = (commonName: string) => sequence(set(sequence(oid(OID.commonName), utf8String(commonName))));

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function keyId(spkiDer: Buffer): Buffer {
  return createHash("sha1").update(spkiDer).digest();
}

function extensions(request: CertificateRequest, subjectSpki: Buffer, issuerSpki: Buffer): Buffer {
  const list = [
    extension(OID.subjectKeyIdentifier, false, octetString(keyId(subjectSpki))),
    extension(OID.authorityKeyIdentifier, false, sequence(tlv(0x80, keyId(issuerSpki)))),
  ];
  if (request.ca) {
    list.push(extension(OID.basicConstraints, true, sequence(boolean(true))));
    // digitalSignature (bit 0) + keyCertSign (bit 5) + cRLSign (bit 6): 1000 0110, one unused trailing bit.
    list.push(extension(OID.keyUsage, true, bitString(Buffer.from([0x86]), 1)));
  } else {
    list.push(extension(OID.basicConstraints, true, sequence()));
    // digitalSignature only (ECDHE_ECDSA key exchange): 1000 0000, seven unused bits.
    list.push(extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)));
    list.push(extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))));
    const names = subjectAltNames(request);
    if (names.length > 0) list.push(extension(OID.subjectAltName, false, sequence(...names)));
  }
  return explicit(3, sequence(...list));
}

/** GeneralName entries: dNSName [2] IA5String, iPAddress [7] OCTET STRING. */
function subjectAltNames(request: CertificateRequest): Buffer[] {
  const dns = (request.dnsNames ?? []).map((host) => tlv(0x82, Buffer.from(host, "ascii")));
  const ips = (request.ipAddresses ?? []).map((ip) => {
    if (!isIPv4(ip)) throw new Error(`not an IPv4 address: ${ip}`);
    return tlv(0x87, Buffer.from(ip.split(".").map(Number)));
  });
  return [...dns, ...ips];
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * Makes a certificate (by default valid for one day): self-signed, or signed by `request.issuer` (a CA made here too).
 * EC P-256 key, ECDSA-SHA256 signature.
 */
export function generateCertificate(request: CertificateRequest): IssuedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const subjectSpki = publicKey.export({ type: "spki", format: "der" });
  const signerKey = request.issuer ? createPrivateKey(request.issuer.keyPem) : privateKey;
  const issuerSpki = createPublicKey(signerKey).export({ type: "spki", format: "der" });
  const issuerName = name(request.issuer?.commonName ?? request.commonName);

  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  const now = Date.now();
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serial),
    algorithm,
    issuerName,
    sequence(
      utcTime(request.notBefore ?? new Date(now - BACKDATE_MS)),
      utcTime(request.notAfter ?? new Date(now + VALIDITY_MS)),
    ),
    name(request.commonName),
    subjectSpki,
    extensions(request, subjectSpki, issuerSpki),
  );
  const signature = sign("sha256", tbs, signerKey); // DER-encoded ECDSA signature, as X.509 wants it
  const certificate = sequence(tbs, algorithm, bitString(signature));
  return {
    certPem: toPem("CERTIFICATE", certificate),
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    commonName: request.commonName,
  };
}
