/**
 * Every way a handshake or a record can fail, in one flat list (after rustls' PeerMisbehaved),
 * each mapped once to the words a student reads, the TLS alert sent (RFC 8446 §6.2), whether
 * it counts as a check that caught something, and which check that was (for the debrief).
 */
import type { AlertDescription, MessageType } from '../messages/types.ts';
import type { CertificateCheckName, CheckName, CheckResult } from '../basics/checks.ts';

export type Failure =
  /** The player went back at a certificate that failed a check. */
  | { reason: 'certificateRejected'; checks: CheckResult[] }
  /** Level 3: the player would not use a public key nothing vouched for. */
  | { reason: 'keyRejected' }
  | { reason: 'userAborted' }
  /** This side closed the connection (close_notify): an end, not a failure of anything. */
  | { reason: 'closed' }
  /** An application record failed its AEAD tag. */
  | { reason: 'badRecordMac' }
  /** The first encrypted handshake message failed its tag: the two sides hold different keys. */
  | { reason: 'handshakeKeysDiffer'; message: MessageType }
  /** Levels 2-3: the game's own visible sequence check. */
  | { reason: 'recordOutOfSequence'; expected: number; got: number }
  | { reason: 'badFinished' }
  | { reason: 'badCertificateVerify' }
  /** TLS 1.2 ECDHE: the ServerKeyExchange signature does not verify with the certificate's key (RFC 8422 §5.4). */
  | { reason: 'badServerKeyExchange' }
  | { reason: 'cannotOpenKeyExchange' }
  /** Client: the certificate's key cannot do this level's step (e.g. a P-256 key for RSA key transport). */
  | { reason: 'unusableCertificateKey'; detail: string }
  | { reason: 'unexpectedMessage'; expected: string; got: MessageType | 'Malformed' }
  | { reason: 'decodeError'; detail: string }
  /** TLS 1.3: a KeyUpdate whose request_update is neither 0 nor 1 (RFC 8446 §4.6.3: illegal_parameter). */
  | { reason: 'badKeyUpdate'; value: number }
  /** A record longer than TLS allows: 2^14 bytes of plaintext, 2^14 + 256 (TLS 1.3) or + 2048 (TLS 1.2) encrypted (RFC 8446 §5.1-5.2, RFC 5246 §6.2). */
  | { reason: 'recordOverflow'; detail: string }
  /** A hello this side cannot answer: no key share or curve it can use (the game sends no HelloRetryRequest). */
  | { reason: 'unsupportedHello'; detail: string }
  /**
   * Server: the client offers no protocol version it speaks (RFC 8446 §4.2.1: protocol_version), e.g. a hello edited down to
   * TLS 1.2 for the TLS 1.3-only bank. Not the downgrade defence: a server that spoke 1.2 would answer in it; what protects
   * TLS 1.3 is the sentinel in ServerHello.random (§4.1.3) and the transcript that Finished covers.
   */
  | { reason: 'unsupportedVersion'; detail: string }
  /**
   * Client (one that speaks TLS 1.3 and 1.2): a ServerHello choosing TLS 1.2 whose random ends in
   * the downgrade sentinel (RFC 8446 §4.1.3: illegal_parameter): the server speaks 1.3, so the
   * offer it answered did not include 1.3 — someone took it out on the way.
   */
  | { reason: 'downgradeSentinel' }
  /** Client: the server chose a version the client did not offer, or one before TLS 1.3 (RFC 8446 §4.2.1: illegal_parameter). */
  | { reason: 'unofferedVersion'; detail: string }
  /** Client: the ServerHello (or HelloRetryRequest) does not echo the session id we sent (RFC 8446 §4.1.3: illegal_parameter). */
  | { reason: 'sessionIdNotEchoed'; message: MessageType }
  /** Client: the server's key share is in a group we sent no share for (RFC 8446 §4.1.3, §4.2.8: illegal_parameter). */
  | { reason: 'unofferedGroup'; group: string }
  /** A HelloRetryRequest that asks for what cannot be given, or a second ClientHello that does not give what was asked (RFC 8446 §4.1.4, §4.2.8: illegal_parameter). */
  | { reason: 'badHelloRetry'; detail: string }
  /** Client: the ServerHello carries an extension the client never offered (RFC 5246 §7.4.1.4: unsupported_extension). */
  | { reason: 'unofferedExtension'; extension: string }
  /** Server: nothing the client offered is a suite it speaks. */
  | { reason: 'noCommonCipherSuite'; offered: number[] }
  /** Client: the server picked a suite the client never offered. */
  | { reason: 'unofferedCipherSuite'; chosen: number }
  /** Server: the ClientHello asked for a name this server is not (SNI). */
  | { reason: 'unrecognizedName'; name: string }
  | { reason: 'peerAlert'; description: AlertDescription }
  /** RFC 8446 §4.2.11: a pre_shared_key extension that is not the ClientHello's last, or a binder that does not verify. */
  | { reason: 'badBinder'; detail: string };

export type FailureReason = Failure['reason'];
type FailureMap = { [F in Failure as F['reason']]: F };
/** The failure with reason K (written so that `table[f.reason]` is typed per reason without a cast). */
type FailureOf<K extends FailureReason> = { [P in K]: FailureMap[P] & { reason: P } }[K];

const hex = (suite: number) => '0x' + suite.toString(16).padStart(4, '0');

/**
 * RFC 8446 §6.2 (and rustls' and OpenSSL's mapping of certificate errors): the alert for the
 * first failed certificate check — unknown_ca when no path reaches a trusted CA; bad_certificate
 * for a certificate that is wrong (a signature, a name, a chain rule broken);
 * unsupported_certificate for one this browser cannot use (its key, purpose, algorithm or a
 * critical extension); certificate_expired for dates.
 */
const CERTIFICATE_ALERTS: Readonly<Record<CertificateCheckName, AlertDescription>> = {
  issuer: 'unknown_ca',
  signatureAlgorithm: 'unsupported_certificate',
  signature: 'bad_certificate',
  caFlag: 'bad_certificate',
  caKeyUsage: 'bad_certificate',
  pathLength: 'bad_certificate',
  nameConstraints: 'bad_certificate',
  extensions: 'unsupported_certificate',
  name: 'bad_certificate',
  notExpired: 'certificate_expired',
  notYetValid: 'certificate_expired',
  keyUsage: 'unsupported_certificate',
  extendedKeyUsage: 'unsupported_certificate',
  // RFC 6962 names no alert; OpenSSL's CT validation fails the handshake with handshake_failure.
  certificateTransparency: 'handshake_failure',
  revocation: 'certificate_revoked',
};

function isCertificateCheck(name: CheckName): name is CertificateCheckName {
  return name in CERTIFICATE_ALERTS;
}

/** The certificate checks that failed by themselves (one that could not run because another failed adds nothing). */
export function failedCertificateChecks(checks: readonly CheckResult[]): CertificateCheckName[] {
  const failed: CertificateCheckName[] = [];
  for (const c of checks) if (!c.passed && !c.blockedBy && isCertificateCheck(c.check)) failed.push(c.check);
  return failed;
}

interface Entry<F extends Failure> {
  alert: AlertDescription | ((f: F) => AlertDescription);
  /** True when a security check fired; false for a plain choice or a peer's alert. */
  detection: boolean;
  /** The check that fired, as the debrief names it (none for choices and for certificate checks, which are recorded one by one). */
  check?: CheckName;
  explain: (f: F) => string;
}

const table: { [R in FailureReason]: Entry<FailureOf<R>> } = {
  certificateRejected: {
    alert: (f) => CERTIFICATE_ALERTS[failedCertificateChecks(f.checks)[0] ?? 'signature'],
    detection: true,
    explain: (f) =>
      `certificate rejected: ${f.checks
        .filter((c) => !c.passed && !c.blockedBy)
        .map((c) => c.detail)
        .join('; ')}`,
  },
  keyRejected: {
    alert: 'user_canceled',
    detection: false,
    explain: () => 'the player would not use a public key that nothing vouched for',
  },
  userAborted: { alert: 'user_canceled', detection: false, explain: () => 'the player aborted the connection' },
  closed: { alert: 'close_notify', detection: false, explain: () => 'closed the connection (close_notify)' },
  badRecordMac: {
    alert: 'bad_record_mac',
    detection: true,
    check: 'record',
    explain: () => 'AEAD tag invalid: this record was changed, replayed or out of order (or sealed with another key)',
  },
  handshakeKeysDiffer: {
    alert: 'bad_record_mac',
    detection: true,
    check: 'handshakeRecord',
    explain: (f) =>
      `the first encrypted handshake message (${f.message}) failed its AEAD tag: the two sides derived different keys, so something that feeds the keys (a random, a key share or an encrypted pre-master secret) was changed on the way`,
  },
  recordOutOfSequence: {
    alert: 'unexpected_message',
    detection: true,
    check: 'sequence',
    explain: (f) => `replayed or reordered record: sequence number ${f.got}, expected ${f.expected} (the game's own visible check)`,
  },
  badFinished: {
    alert: 'decrypt_error',
    detection: true,
    check: 'finished',
    explain: () => 'Finished MAC mismatch: the two sides saw different handshake messages, so someone changed one',
  },
  badCertificateVerify: {
    alert: 'decrypt_error',
    detection: true,
    check: 'certificateVerify',
    explain: () => 'CertificateVerify signature invalid: the other side could not prove it holds the private key of the certificate',
  },
  badServerKeyExchange: {
    alert: 'decrypt_error', // RFC 5246 §7.2.2, RFC 8422 §5.4
    detection: true,
    check: 'serverKeyExchange',
    explain: () =>
      "ServerKeyExchange signature invalid: the signature over both randoms and the server's one-time key share does not verify with the certificate's key — the share or a random was changed on the way, or the signer does not hold the certificate's key",
  },
  cannotOpenKeyExchange: {
    alert: 'decrypt_error',
    detection: true,
    check: 'keyExchange',
    explain: () => "could not open the key exchange: the secret was not sealed to this server's public key, or it was changed on the way",
  },
  unusableCertificateKey: {
    alert: 'unsupported_certificate',
    detection: true,
    check: 'keyUsage',
    explain: (f) => f.detail,
  },
  unexpectedMessage: {
    alert: 'unexpected_message',
    detection: true,
    check: 'messageOrder',
    explain: (f) => `unexpected message: got ${f.got} while waiting for ${f.expected}`,
  },
  decodeError: { alert: 'decode_error', detection: true, check: 'decode', explain: (f) => `malformed message: ${f.detail}` },
  badKeyUpdate: {
    alert: 'illegal_parameter',
    detection: true,
    check: 'decode',
    explain: (f) => `a KeyUpdate with request_update ${f.value}: only 0 (update_not_requested) and 1 (update_requested) exist`,
  },
  recordOverflow: { alert: 'record_overflow', detection: true, check: 'decode', explain: (f) => `record too long: ${f.detail}` },
  noCommonCipherSuite: {
    alert: 'handshake_failure',
    detection: true,
    check: 'cipherSuite',
    explain: (f) => `no common cipher suite (offered ${f.offered.map(hex).join(', ') || 'none'})`,
  },
  unsupportedHello: {
    alert: 'handshake_failure',
    detection: true,
    check: 'cipherSuite',
    explain: (f) => `the two sides could not agree: ${f.detail}`,
  },
  unsupportedVersion: {
    alert: 'protocol_version',
    detection: true,
    check: 'cipherSuite',
    explain: (f) => `no protocol version in common: ${f.detail}`,
  },
  unofferedVersion: {
    alert: 'illegal_parameter',
    detection: true,
    check: 'cipherSuite',
    explain: (f) => `the server chose a version the client did not offer: ${f.detail}`,
  },
  downgradeSentinel: {
    alert: 'illegal_parameter', // RFC 8446 §4.1.3
    detection: true,
    check: 'downgradeSentinel',
    explain: () =>
      'the bank answered in TLS 1.2, but its random ends in the downgrade sentinel 44 4F 57 4E 47 52 44 01 ("DOWNGRD"): it speaks TLS 1.3, so the offer it answered lacked TLS 1.3 — someone took it out of our ClientHello on the way',
  },
  sessionIdNotEchoed: {
    alert: 'illegal_parameter',
    detection: true,
    check: 'cipherSuite',
    explain: (f) => `the ${f.message} does not echo the session id the client sent`,
  },
  unofferedGroup: {
    alert: 'illegal_parameter',
    detection: true,
    check: 'cipherSuite',
    explain: (f) => `the server answered with a ${f.group} key share, a group the client sent no share for`,
  },
  badHelloRetry: {
    alert: 'illegal_parameter',
    detection: true,
    check: 'cipherSuite',
    explain: (f) => f.detail,
  },
  unofferedExtension: {
    alert: 'unsupported_extension',
    detection: true,
    check: 'cipherSuite',
    explain: (f) => `the ServerHello carries ${f.extension}, which the client never offered`,
  },
  unofferedCipherSuite: {
    alert: 'illegal_parameter',
    detection: true,
    check: 'cipherSuite',
    explain: (f) => `the server picked cipher suite ${hex(f.chosen)}, which the client never offered`,
  },
  unrecognizedName: {
    alert: 'unrecognized_name',
    detection: true,
    check: 'serverName',
    explain: (f) => `the ClientHello asked for ${f.name}, which this server is not`,
  },
  badBinder: {
    alert: 'decrypt_error', // RFC 8446 §4.2.11: a binder that does not verify aborts with decrypt_error; a misplaced extension with illegal_parameter
    detection: true,
    check: 'pskBinder',
    explain: (f) => `the resumption ticket's binder does not verify: ${f.detail}`,
  },
  peerAlert: { alert: 'close_notify', detection: false, explain: (f) => `the other side sent alert ${f.description}` },
};

function entry<K extends FailureReason>(f: FailureOf<K>): Entry<FailureOf<K>> {
  return table[f.reason];
}

export function explainFailure(f: Failure): string {
  return entry(f).explain(f);
}

export function alertFor(f: Failure): AlertDescription {
  const alert = entry(f).alert;
  return typeof alert === 'function' ? alert(f) : alert;
}

export function isDetection(f: Failure): boolean {
  return table[f.reason].detection;
}

/** The check that fired, when the failure is one (certificate checks are recorded one by one). */
export function checkOf(f: Failure): CheckName | undefined {
  return table[f.reason].check;
}
