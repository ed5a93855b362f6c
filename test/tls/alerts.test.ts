/**
 * Every check failure on a real connection, with OpenSSL (node:tls) on the other end, maps to
 * the alert its RFC names, and the other end reports it:
 * - the engine's browser refusing node:tls's certificate sends the alert of the failed check
 *   (RFC 8446 §6.2, RFC 5246 §7.2.2): a name not in the subjectAltName → bad_certificate, an
 *   issuer not in the trust store → unknown_ca, a certificate past notAfter →
 *   certificate_expired; node:tls reports that alert;
 * - node:tls refusing the engine bank's certificate reports the same three failures by
 *   OpenSSL's names (and asks for nothing);
 * - a certificate whose issuer name is trusted but whose signature does not check with that
 *   CA's key → bad_certificate (RFC 5246 §7.2.2: "signatures that did not verify correctly");
 *   OpenSSL calls it a signature failure when the certificate was changed after signing, but
 *   an unknown issuer when another key signed it: its authorityKeyIdentifier then names a key
 *   no trusted CA has, and OpenSSL takes a CA as the issuer only when the key identifiers agree
 *   (the engine's browser uses them as a hint and lets the signature decide);
 * - a Finished or a request changed on the wire fails its record's tag → bad_record_mac (RFC 8446 §5.2,
 *   RFC 5246 §6.2.3.3); a hello changed on the wire in TLS 1.2 without the extended master
 *   secret leaves the keys alone and fails the Finished MAC → decrypt_error (RFC 5246 §7.4.9
 *   and §7.2.2); with it (RFC 7627), as in TLS 1.3, the hellos feed the keys, so the first
 *   protected record fails → bad_record_mac.
 * An alert sent once a side writes under record keys goes sealed under them (RFC 5246 §7.2,
 * RFC 8446 §6), or OpenSSL does not read it as an alert.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../shared/src/messages/codec.ts';
import { withExtension } from '../../shared/src/handshake/hello.ts';
import type { MessageOf } from '../../shared/src/messages/types.ts';
import { clientTrusting } from '../../tools/tls/bank.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { flipLast, isFinished, relay, type Tamper } from './proxy.ts';
import { bankFor, changedAfterSigning, context, LEVEL_CASES, NAME, NOW, nodeClient, serveEngine, serveNode, isTls13 } from './support.ts';

const DAY = 86_400;
interface Bad {
  what: string;
  bank: Parameters<typeof bankFor>[2];
  /** Change the certificate after the CA signed it. */
  changed?: boolean;
  /** Trust another root than the bank's, with this name (and its own key). */
  otherRoot?: string;
  alert: string;
  /** node:tls's error code when OpenSSL's client refuses the engine bank's certificate. */
  nodeCode: string;
  /** Where the bank sends an intermediate after it (level 6), when OpenSSL says otherwise: the chain's top, not the leaf, has no issuer it trusts. */
  nodeCodeWithChain?: string;
}
const BAD_CERTIFICATES: Bad[] = [
  { what: 'a certificate for another name', bank: { names: ['other.example'] }, alert: 'bad_certificate', nodeCode: 'ERR_TLS_CERT_ALTNAME_INVALID' },
  { what: 'a certificate from an unknown CA', bank: {}, otherRoot: 'Another Root CA', alert: 'unknown_ca', nodeCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', nodeCodeWithChain: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' },
  { what: 'a certificate not signed by the trusted CA of its issuer name', bank: {}, otherRoot: 'Heist Root CA', alert: 'bad_certificate', nodeCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', nodeCodeWithChain: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' },
  { what: 'a certificate changed after its CA signed it', bank: {}, changed: true, alert: 'bad_certificate', nodeCode: 'CERT_SIGNATURE_FAILURE' },
  { what: 'an expired certificate', bank: { notBefore: NOW - 30 * DAY, notAfter: NOW - DAY }, alert: 'certificate_expired', nodeCode: 'CERT_HAS_EXPIRED' },
];
/** OpenSSL's error code for an alert it received. */
const RECEIVED: Record<string, string> = {
  bad_certificate: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  unknown_ca: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  certificate_expired: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  bad_record_mac: 'ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC',
  decrypt_error: 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR',
};

describe.each(LEVEL_CASES)('level $label', ({ level }) => {
  describe.each(BAD_CERTIFICATES)('$what', (bad) => {
    it(`the engine's browser sends ${bad.alert}, and node:tls's bank reports it`, async () => {
      const made = bankFor(level, `bad ${bad.what} ${level}`, bad.bank);
      const bank = bad.changed ? changedAfterSigning(made) : made;
      const trusted = bad.otherRoot ? bankFor(level, `another root ${level}`, { caName: bad.otherRoot }).rootPem : bank.rootPem;
      const server = await serveNode(level, bank);
      try {
        const result = await engineConnect({ level, host: '127.0.0.1', port: server.port, config: clientTrusting(trusted, NAME), ctx: context() });
        expect(result.response).toBeUndefined();
        expect(result.failure?.reason).toBe('certificateRejected');
        expect(result.alertSent).toBe(bad.alert);
        const seen = await server.closed;
        expect(seen.request).toBeUndefined();
        expect(seen.error?.code).toBe(RECEIVED[bad.alert]);
      } finally {
        await server.close();
      }
    });

    it("node:tls's browser refuses the engine bank's certificate and asks for nothing", async () => {
      const made = bankFor(level, `bad ${bad.what} ${level}`, bad.bank);
      const bank = bad.changed ? changedAfterSigning(made) : made;
      const trusted = bad.otherRoot ? bankFor(level, `another root ${level}`, { caName: bad.otherRoot }).rootPem : bank.rootPem;
      const server = await serveEngine(bank);
      try {
        const result = await nodeClient(level, server.port, trusted);
        expect(result.response ?? '').toBe('');
        expect(result.error?.code).toBe(bank.chain.length > 0 ? (bad.nodeCodeWithChain ?? bad.nodeCode) : bad.nodeCode);
        expect((await server.closed).requests).toEqual([]);
      } finally {
        await server.close();
      }
    });
  });

  const tls13 = isTls13(level);
  const flipFinished: Tamper = (r, direction, seen) => (direction === 'toServer' && isFinished(r, seen, tls13) ? flipLast(r) : r.bytes);

  it("the client's Finished changed on the wire: the engine's bank sends bad_record_mac, and node:tls's browser reports it", async () => {
    const bank = bankFor(level, `finished ${level}`);
    const server = await serveEngine(bank);
    const attacker = await relay(server.port, flipFinished);
    try {
      const result = await nodeClient(level, attacker.port, bank.rootPem);
      expect(attacker.tampered).toBe(1);
      expect(result.error?.code).toBe(RECEIVED.bad_record_mac);
      const closed = await server.closed;
      expect(closed.failure?.reason).toBe(tls13 ? 'handshakeKeysDiffer' : 'handshakeKeysDiffer');
      expect(closed.requests).toEqual([]);
    } finally {
      await attacker.close();
      await server.close();
    }
  });

  it("the engine's Finished changed on the wire: node:tls's bank sends bad_record_mac, and the engine's browser reports it", async () => {
    const bank = bankFor(level, `finished node ${level}`);
    const server = await serveNode(level, bank);
    const attacker = await relay(server.port, flipFinished);
    try {
      const result = await engineConnect({ level, host: '127.0.0.1', port: attacker.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(attacker.tampered).toBe(1);
      expect(result.response).toBeUndefined();
      expect(result.failure).toEqual({ reason: 'peerAlert', description: 'bad_record_mac' });
      const seen = await server.closed;
      // OpenSSL 3.0 names a failed AES-GCM tag differently in its TLS 1.2 and TLS 1.3 record layers.
      expect(seen.error?.code).toBe(tls13 ? 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC' : 'ERR_SSL_CIPHER_OPERATION_FAILED');
    } finally {
      await attacker.close();
      await server.close();
    }
  });

  /** The server's Finished: TLS 1.2, its first handshake record after its ChangeCipherSpec; TLS 1.3, its fourth protected record (EncryptedExtensions, Certificate, CertificateVerify, Finished: OpenSSL writes one record each). */
  const flipServerFinished: Tamper = (r, direction, seen) => {
    if (direction !== 'toClient') return r.bytes;
    const hit = tls13 ? r.type === 23 && seen.filter((x) => x.type === 23).length === 3 : isFinished(r, seen, false);
    return hit ? flipLast(r) : r.bytes;
  };

  it("node:tls's Finished changed on the wire: the engine's browser sends bad_record_mac, and node:tls's bank reports it", async () => {
    const bank = bankFor(level, `server finished ${level}`);
    const server = await serveNode(level, bank);
    const attacker = await relay(server.port, flipServerFinished);
    try {
      const result = await engineConnect({ level, host: '127.0.0.1', port: attacker.port, config: clientTrusting(bank.rootPem, NAME), ctx: context() });
      expect(attacker.tampered).toBe(1);
      expect(result.response).toBeUndefined();
      expect(result.failure?.reason).toBe(tls13 ? 'badRecordMac' : 'handshakeKeysDiffer');
      expect(result.alertSent).toBe('bad_record_mac');
      // TLS 1.2: the browser's alert follows its ChangeCipherSpec, so it goes sealed under its keys, and OpenSSL reads it.
      expect((await server.closed).error?.code).toBe(RECEIVED.bad_record_mac);
    } finally {
      await attacker.close();
      await server.close();
    }
  });

  /** The browser's request: its first application-data record after its Finished (TLS 1.3: its second protected record). */
  const flipRequest: Tamper = (r, direction, seen) => {
    if (direction !== 'toServer' || r.type !== 23) return r.bytes;
    const before = seen.filter((x) => x.type === 23).length;
    return before === (tls13 ? 1 : 0) ? flipLast(r) : r.bytes;
  };

  it("the browser's request changed on the wire: the engine's bank sends bad_record_mac under its keys, and node:tls's browser reports it", async () => {
    const bank = bankFor(level, `request ${level}`);
    const server = await serveEngine(bank);
    const attacker = await relay(server.port, flipRequest);
    try {
      const result = await nodeClient(level, attacker.port, bank.rootPem);
      expect(attacker.tampered).toBe(1);
      expect(result.error?.code).toBe(RECEIVED.bad_record_mac);
      const closed = await server.closed;
      expect(closed.failure).toEqual({ reason: 'badRecordMac' });
      expect(closed.requests).toEqual([]);
    } finally {
      await attacker.close();
      await server.close();
    }
  });

  /**
   * The attacker adds a signature scheme to the ClientHello — and may strip its extended_master_secret.
   * TLS 1.3 feeds the whole hello into its keys. TLS 1.2 with the extended master secret (RFC 7627,
   * which OpenSSL and the engine's browser offer) feeds it in too, through the session hash; without it,
   * only the randoms and the pre-master do, and the Finished MAC is what catches the change.
   */
  const changeHello =
    (strip: boolean): Tamper =>
    (r, direction, seen) => {
      if (direction !== 'toServer' || seen.length > 0 || r.type !== 22) return r.bytes;
      const hello = decodeMessage(r.bytes, { lenient: true }) as MessageOf<'ClientHello'>;
      const schemes = hello.extensions.find((e) => e.type === 'signature_algorithms');
      if (schemes?.type !== 'signature_algorithms') throw new Error('no signature_algorithms to change');
      const changed = withExtension(hello, { type: 'signature_algorithms', schemes: [...schemes.schemes, 0x0603] });
      return encodeMessage(strip ? { ...changed, extensions: changed.extensions.filter((e) => e.type !== 'extended_master_secret') } : changed);
    };

  /** What the bank or the browser meets at its peer's Finished: its tag fails when the keys differ, else its MAC. */
  const caught = (keysDiffer: boolean) => (keysDiffer ? 'bad_record_mac' : 'decrypt_error');

  it.each(tls13 ? [{ strip: false }] : [{ strip: false }, { strip: true }])(
    `a ClientHello changed on the wire${tls13 ? '' : ' (extended_master_secret stripped: $strip)'}: the engine's bank or node:tls's browser sends the alert of the check that catches it`,
    async ({ strip }) => {
      const bank = bankFor(level, `hello ${level} ${strip}`);
      const server = await serveEngine(bank);
      const attacker = await relay(server.port, changeHello(strip));
      try {
        const result = await nodeClient(level, attacker.port, bank.rootPem);
        expect(attacker.tampered).toBe(1);
        const closed = await server.closed;
        expect(closed.requests).toEqual([]);
        if (tls13) {
          // OpenSSL cannot open the bank's first protected record, and says so.
          expect(result.error?.code).toBe('ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC');
          expect(closed.failure).toEqual({ reason: 'peerAlert', description: 'bad_record_mac' });
        } else {
          // The bank opens OpenSSL's Finished only if both derived the same master secret.
          expect(result.error?.code).toBe(RECEIVED[caught(!strip)]);
          expect(closed.failure).toEqual(strip ? { reason: 'badFinished' } : { reason: 'handshakeKeysDiffer', message: 'Finished' });
        }
      } finally {
        await attacker.close();
        await server.close();
      }
    },
  );

  it.each(tls13 ? [{ ems: true }] : [{ ems: true }, { ems: false }])(
    `the engine's ClientHello changed on the wire${tls13 ? '' : ' (extended master secret offered: $ems)'}: the engine's browser or node:tls's bank sends the alert of the check that catches it`,
    async ({ ems }) => {
      const bank = bankFor(level, `hello node ${level} ${ems}`);
      const server = await serveNode(level, bank);
      const attacker = await relay(server.port, changeHello(false));
      try {
        const result = await engineConnect({ level, host: '127.0.0.1', port: attacker.port, config: { ...clientTrusting(bank.rootPem, NAME), extendedMasterSecret: ems }, ctx: context() });
        expect(attacker.tampered).toBe(1);
        expect(result.response).toBeUndefined();
        const seen = await server.closed;
        if (tls13) {
          expect(result.failure).toEqual({ reason: 'handshakeKeysDiffer', message: 'EncryptedExtensions' });
          expect(result.alertSent).toBe('bad_record_mac');
          expect(seen.error?.code).toBe(RECEIVED.bad_record_mac);
        } else {
          expect(result.failure).toEqual({ reason: 'peerAlert', description: caught(ems) });
          expect(seen.error?.code).toBe(ems ? 'ERR_SSL_CIPHER_OPERATION_FAILED' : 'ERR_SSL_DIGEST_CHECK_FAILED'); // its AEAD open, or its Finished check
        }
      } finally {
        await attacker.close();
        await server.close();
      }
    },
  );
});
