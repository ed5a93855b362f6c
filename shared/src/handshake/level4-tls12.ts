/**
 * Level 4 — Certified: HTTPS as TLS 1.2 (RFC 5246) with RSA key transport
 * (TLS_RSA_WITH_AES_128_GCM_SHA256, RFC 5288), byte for byte:
 *   (plain http:// request → redirect, unless HSTS; see http-first.ts) →
 *   ClientHello → ServerHello, Certificate, ServerHelloDone → the client checks the
 *   certificate → ClientKeyExchange (the pre-master secret RSA-encrypted to the certificate's
 *   key, §7.4.7.1), ChangeCipherSpec, Finished (encrypted) → ChangeCipherSpec, Finished → records.
 * Both sides derive the master secret and the keys (§8.1, §6.3). Finished is each side's first
 * encrypted message, so keys that differ (a changed random, or a pre-master the bank could not
 * decrypt) fail its tag, and any other change to the handshake fails its MAC (§7.4.9).
 *
 * The bank never says that decryption failed (§7.4.7.1, crypto/rsa.ts): a block that does not
 * decode gives a random pre-master, so an attacker learns nothing from the bank's answer
 * (Bleichenbacher's and the Marvin attack read exactly that). TLS 1.3 dropped RSA key
 * transport for this reason and for its lack of forward secrecy.
 *
 * Here is the key exchange alone; the TLS 1.2 machines it plugs into (hellos, certificate
 * checks, Finished, ChangeCipherSpec, keys) are tls12-machines.ts, which level 4e's ECDHE uses too.
 */
import { rsaDecryptRaw, rsaPkcs1Encrypt } from '../crypto/primitives.ts';
import { tlsPreMasterFromBlock } from '../crypto/rsa.ts';
import type { MessageOf } from '../messages/types.ts';
import { rsaPrivateKeyFromDer, rsaPublicKeyFromDer } from '../pki/keys.ts';
import { rsaKeyLogLine } from './key-log.ts';
import { CLIENT_VERSION } from './tls12-common.ts';
import { tls12Client, tls12Server, type Tls12KeyExchange, type Tls12Spec } from './tls12-machines.ts';

export { CLIENT_VERSION };

/**
 * The server's side of §7.4.7.1: RSA-decrypt, then decode the padding without saying where it
 * failed. `fallback` (48 random bytes, drawn before decrypting) stands in when it does.
 */
export function decryptPreMaster(secretKeyDer: Uint8Array, encrypted: Uint8Array, fallback: Uint8Array): Uint8Array {
  let block: Uint8Array | null = null;
  try {
    block = rsaDecryptRaw(rsaPrivateKeyFromDer(secretKeyDer), encrypted);
  } catch {
    block = null; // not an RSA key (a misconfigured bank): decoding below still runs, on zeros
  }
  return tlsPreMasterFromBlock(block ?? new Uint8Array(256), CLIENT_VERSION, fallback);
}

/**
 * RSA key transport (§7.4.7.1): the server sends no ServerKeyExchange (its certificate's key is
 * all the client needs) and keeps nothing (its RSA key is in its config); the client encrypts a
 * fresh pre-master secret to the certificate's key.
 */
export const RSA_KEY_TRANSPORT: Tls12KeyExchange<null, null, null> = {
  // Level 4 keeps to RFC 5246 unless told otherwise: no extended master secret, so a changed hello field that feeds no key is Finished's to catch.
  offersExtendedMasterSecret: false,
  client: {
    serverParams: { sent: false, value: null },
    allPassed: "Certificate checked offline with the CA's pre-installed public key: issuer, signature, name, dates and key usage all pass.",
    keyExchange(state, ctx, out) {
      const preMaster = new Uint8Array([...CLIENT_VERSION, ...ctx.rng.bytes(46)]); // §7.4.7.1: version ‖ 46 random bytes
      let encryptedPreMaster: Uint8Array;
      try {
        if (state.certificate.keyType !== 'rsa') throw new Error('not RSA');
        encryptedPreMaster = rsaPkcs1Encrypt(rsaPublicKeyFromDer(state.certificate.publicKey), preMaster, ctx.rng);
      } catch {
        return { reason: 'unusableCertificateKey', detail: "the certificate's key is not an RSA key, so the pre-master secret cannot be encrypted to it" };
      }
      const kex: MessageOf<'ClientKeyExchange'> = { type: 'ClientKeyExchange', encryptedPreMaster, ecdhPublic: new Uint8Array(0) };
      out.keyLog.push(rsaKeyLogLine(encryptedPreMaster, preMaster)); // before CLIENT_RANDOM, in OpenSSL's order
      return {
        kex,
        preMaster,
        log: "Encrypted a fresh pre-master secret to the certificate's RSA key; derived the session keys; ChangeCipherSpec, then Finished (a MAC over the whole handshake, our first encrypted message).",
      };
    },
    proof: 'decryptedPreMaster',
  },
  server: {
    accept: () => ({ choice: null }),
    serverKeyExchange: () => ({ send: [], kept: null, log: 'ServerHello (our public random), our certificate signed by the CA, ServerHelloDone.' }),
    awaits: 'ClientKeyExchange (an RSA-encrypted pre-master secret)',
    carries: (message) => message.encryptedPreMaster.length > 0,
    preMaster(_kept, message, ctx, config) {
      const fallback = ctx.rng.bytes(48); // drawn before decrypting, used only if decoding fails (§7.4.7.1)
      return {
        preMaster: decryptPreMaster(config.encryptionKey.secretKey, message.encryptedPreMaster, fallback),
        log: 'Decrypted the pre-master secret with our RSA private key and derived the session keys. Whether it really was encrypted to our key shows only at Finished: TLS never says that decryption failed.',
      };
    },
    done: 'Client Finished verified; ChangeCipherSpec and our Finished sent. The session is protected (TLS proves the bank to the client, not the client to the bank).',
  },
};

/** The browser's TLS 1.2 client with RSA key transport, speaking the level's suite and checking its certificate key. */
export const level4Client = (spec: Tls12Spec) => tls12Client(spec, RSA_KEY_TRANSPORT);

/** The bank's TLS 1.2 server with RSA key transport, speaking the level's suite. */
export const level4Server = (spec: Tls12Spec) => tls12Server(spec, RSA_KEY_TRANSPORT);
