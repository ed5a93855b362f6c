/**
 * The NSS key log format (SSLKEYLOGFILE, as NSS, OpenSSL and node:tls's `keylog` event write
 * it, and as Wireshark reads it): one line per secret, `LABEL <client random hex> <secret hex>`.
 * TLS 1.2 logs the master secret (CLIENT_RANDOM); TLS 1.3 the traffic secrets of RFC 8446 §7.1
 * and the exporter secret. A TLS 1.2 client that sent an RSA-encrypted pre-master also logs it
 * (RSA), as OpenSSL's client does. With these lines a capture decrypts — which is the point of the
 * debrief's "open it in Wireshark", and why a real key log must never leave a machine.
 */
import { toHex } from '../codec/bytes.ts';

export type KeyLogLabel =
  | 'CLIENT_RANDOM'
  /** TLS 1.3 0-RTT: the client's early traffic secret (RFC 8446 §7.1), which opens the early data. */
  | 'CLIENT_EARLY_TRAFFIC_SECRET'
  | 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'
  | 'SERVER_HANDSHAKE_TRAFFIC_SECRET'
  | 'CLIENT_TRAFFIC_SECRET_0'
  | 'SERVER_TRAFFIC_SECRET_0'
  | 'EXPORTER_SECRET';

export function keyLogLine(label: KeyLogLabel, clientRandom: Uint8Array, secret: Uint8Array): string {
  return `${label} ${toHex(clientRandom)} ${toHex(secret)}`;
}

/** `RSA <first 8 bytes of the encrypted pre-master, hex> <pre-master hex>`: the line OpenSSL's client writes for RSA key transport. */
export function rsaKeyLogLine(encryptedPreMaster: Uint8Array, preMaster: Uint8Array): string {
  return `RSA ${toHex(encryptedPreMaster.subarray(0, 8))} ${toHex(preMaster)}`;
}
