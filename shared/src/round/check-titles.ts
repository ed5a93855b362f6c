/** What each check is called on screen: the client panel's list and the debrief's table. */
import type { CheckName } from './types.ts';

export const CHECK_TITLES: Readonly<Record<CheckName, string>> = {
  issuer: 'Issuer is a CA you trust',
  signature: 'CA signature verifies',
  name: 'Name matches bank.example',
  notExpired: 'Not expired',
  notYetValid: 'Already valid',
  keyUsage: 'Key usage fits',
  hsts: 'HSTS: bank.example is HTTPS-only',
  serverName: 'The name asked for is this server’s (SNI)',
  cipherSuite: 'Cipher suite is one that was offered',
  keyExchange: 'Key exchange opens with the bank’s private key',
  certificateVerify: 'Server proved it holds the key (CertificateVerify)',
  serverKeyExchange: 'Server signed its one-time key share (ServerKeyExchange)',
  handshakeRecord: 'First encrypted handshake message opens (both sides have the same keys)',
  finished: 'Finished MAC matches the transcript',
  record: 'Record tag (AES-GCM) is valid',
  sequence: 'Record sequence number as expected (the game’s own check)',
  messageOrder: 'Messages arrive in the order the protocol allows',
  decode: 'The bytes decode as a message',
  domainControl: 'Domain control (ACME http-01)',
};
