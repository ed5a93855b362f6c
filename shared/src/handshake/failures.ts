/**
 * Every way a handshake or a record can fail, in one flat list (after rustls' PeerMisbehaved),
 * each mapped once to the words a student reads, the TLS alert sent (RFC 8446 §6.2), and
 * whether it counts as a check that caught something.
 */
import type { AlertDescription, MessageType } from '../messages/types.ts';
import type { CheckResult } from '../round/types.ts';

export type Failure =
  | { reason: 'certificateRejected'; checks: CheckResult[] }
  | { reason: 'downgradeRefused' }
  | { reason: 'userAborted' }
  | { reason: 'badRecordMac' }
  | { reason: 'recordOutOfSequence'; expected: number; got: number }
  | { reason: 'badFinished' }
  | { reason: 'badCertificateVerify' }
  | { reason: 'cannotOpenKeyExchange' }
  | { reason: 'unexpectedMessage'; expected: string; got: MessageType | 'Malformed' }
  | { reason: 'decodeError'; detail: string }
  | { reason: 'unsupportedCipherSuite'; offered: number[] }
  | { reason: 'wrongServerName'; name: string }
  | { reason: 'peerAlert'; description: AlertDescription };

export type FailureReason = Failure['reason'];

/** detection: true when a security check fired; false for a plain choice or a peer's alert. */
const table: { [R in FailureReason]: { alert: AlertDescription; detection: boolean; explain: (f: Extract<Failure, { reason: R }>) => string } } = {
  certificateRejected: {
    alert: 'bad_certificate',
    detection: true,
    // A check that could not run because another failed ("cannot check: …") adds nothing.
    explain: (f) =>
      `certificate rejected: ${f.checks
        .filter((c) => !c.passed && !c.detail.startsWith('cannot check'))
        .map((c) => c.detail)
        .join('; ')}`,
  },
  downgradeRefused: {
    alert: 'protocol_version',
    detection: true,
    explain: () => 'refused to continue over plain HTTP: the bank always uses HTTPS, so an unencrypted answer means someone is in the way',
  },
  userAborted: { alert: 'user_canceled', detection: false, explain: () => 'the player aborted the connection' },
  badRecordMac: {
    alert: 'bad_record_mac',
    detection: true,
    explain: () => 'AEAD tag invalid: the encrypted record was changed on the way (or sealed with another key)',
  },
  recordOutOfSequence: {
    alert: 'unexpected_message',
    detection: true,
    explain: (f) => `replayed or reordered record: sequence number ${f.got}, expected ${f.expected}`,
  },
  badFinished: {
    alert: 'decrypt_error',
    detection: true,
    explain: () => 'Finished MAC mismatch: the two sides saw different handshake messages, so someone changed one',
  },
  badCertificateVerify: {
    alert: 'decrypt_error',
    detection: true,
    explain: () => 'CertificateVerify signature invalid: the other side could not prove it holds the private key of the certificate',
  },
  cannotOpenKeyExchange: {
    alert: 'decrypt_error',
    detection: true,
    explain: () => 'could not open the key exchange: the secret was not sealed to this server\'s public key',
  },
  unexpectedMessage: {
    alert: 'unexpected_message',
    detection: true,
    explain: (f) => `unexpected message: got ${f.got} while waiting for ${f.expected}`,
  },
  decodeError: { alert: 'decode_error', detection: true, explain: (f) => `malformed message: ${f.detail}` },
  unsupportedCipherSuite: {
    alert: 'handshake_failure',
    detection: true,
    explain: (f) => `no common cipher suite (offered ${f.offered.map((s) => '0x' + s.toString(16).padStart(4, '0')).join(', ') || 'none'})`,
  },
  wrongServerName: { alert: 'handshake_failure', detection: true, explain: (f) => `asked for ${f.name}, which this server is not` },
  peerAlert: { alert: 'close_notify', detection: false, explain: (f) => `the other side sent alert ${f.description}` },
};

export function explainFailure(f: Failure): string {
  return (table[f.reason].explain as (x: Failure) => string)(f);
}

export function alertFor(f: Failure): AlertDescription {
  return table[f.reason].alert;
}

export function isDetection(f: Failure): boolean {
  return table[f.reason].detection;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
