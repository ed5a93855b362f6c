/**
 * Level 4e — TLS 1.2 with ephemeral ECDH (RFC 5246 with RFC 8422; RFC 5289's
 * TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0xC02B), byte for byte:
 *   (plain http:// request → redirect, unless HSTS) →
 *   ClientHello (+ supported_groups: the level's, secp256r1; ec_point_formats) → ServerHello,
 *   Certificate (an ECDSA P-256 key), ServerKeyExchange (a one-time P-256 share, signed with the
 *   certificate's key over client_random ‖ server_random ‖ params, §5.4), ServerHelloDone →
 *   the client checks the certificate, then the signature → ClientKeyExchange (its own one-time
 *   share, §5.7), ChangeCipherSpec, Finished → ChangeCipherSpec, Finished → records.
 * The pre-master secret is the x-coordinate of the shared point (§5.10); the master secret and
 * keys follow as at level 4 (tls12-machines.ts, which this key exchange plugs into). Both one-time secrets are forgotten after the
 * handshake, so a later leak of the certificate's key opens none of the recording: forward
 * secrecy comes from the key exchange, not from the version number.
 *
 * A swapped share in ServerKeyExchange breaks its signature: decrypt_error (RFC 5246 §7.2.2).
 * A swapped share in ClientKeyExchange (which nothing signs) makes the two sides' keys differ:
 * the first encrypted message, Finished, fails its tag.
 */
import { concat } from '../codec/bytes.ts';
import { ecdsaP256Sign, ecdsaP256Verify, type KeyPair } from '../crypto/primitives.ts';
import { NAMED_GROUPS, SCHEME, showCode } from '../messages/tls-codes.ts';
import type { MessageOf } from '../messages/types.ts';
import type { Failure } from './failures.ts';
import { agree, ephemeralName, ephemeralShare, groupName, shareShape } from './groups.ts';
import { supportedGroups } from './hello.ts';
import type { Randoms } from './tls12-common.ts';
import { tls12Client, tls12Server, type Tls12KeyExchange, type Tls12Spec } from './tls12-machines.ts';

/** RFC 8422 §5.4: ECCurveType named_curve. */
const NAMED_CURVE = 3;

/**
 * RFC 8422 §5.4: what the server signs — client_random ‖ server_random ‖ ServerECDHParams
 * (curve_type, named curve, the point with its 1-byte length).
 */
export function serverKeyExchangeSigned(r: Randoms, group: number, publicKey: Uint8Array): Uint8Array {
  return concat(r.clientRandom, r.serverRandom, new Uint8Array([NAMED_CURVE, group >> 8, group & 0xff, publicKey.length]), publicKey);
}

/** The server's verified one-time share, and its group. */
export interface ServerShare {
  serverShare: Uint8Array;
  group: number;
}

/** The server's one-time key pair, and its group. */
export interface OneTimeKey {
  group: number;
  ephemeral: KeyPair;
}

/** §5.10: the pre-master secret is the x-coordinate of the shared point; a share that is not a point of the group is refused. */
function preMasterFrom(group: number, secretKey: Uint8Array, peerShare: Uint8Array): Uint8Array | Failure {
  try {
    return agree(group, secretKey, peerShare);
  } catch {
    return { reason: 'decodeError', detail: `the key share is not ${shareShape(group)}` };
  }
}

/** The groups in the registry's own names, for a refusal: "secp256r1". */
const registryNames = (groups: readonly number[]) => groups.map((g) => NAMED_GROUPS.name(g) ?? showCode(NAMED_GROUPS, g)).join(', ');

/**
 * ECDHE with ECDSA (RFC 8422): the server sends a one-time share in ServerKeyExchange, signed
 * with its certificate's key, and keeps the share's secret; the client checks the signature and
 * answers with its own one-time share.
 */
export const ECDHE_ECDSA: Tls12KeyExchange<ServerShare, number, OneTimeKey> = {
  // TLS 1.2 as browsers speak it: the extended master secret (RFC 7627) unless told otherwise.
  offersExtendedMasterSecret: true,
  client: {
    serverParams: {
      sent: true,
      /** RFC 8422 §5.4: the signature must verify with the certificate's ECDSA key; a swapped share fails here. */
      read(state, message, spec, out) {
        if (message.type !== 'ServerKeyExchange') return { reason: 'unexpectedMessage', expected: 'ServerKeyExchange', got: message.type };
        if (state.certificate.keyType !== 'p256') return { reason: 'unusableCertificateKey', detail: "the certificate's key is not an ECDSA P-256 key, so it cannot have signed the key share" };
        if (!spec.groups.includes(message.group)) return { reason: 'decodeError', detail: `the key share is not on the curve we offered (${registryNames(spec.groups)})` };
        const signed = serverKeyExchangeSigned(state, message.group, message.publicKey);
        if (message.scheme !== SCHEME.ecdsaP256Sha256 || !ecdsaP256Verify(state.certificate.publicKey, signed, message.signature)) return { reason: 'badServerKeyExchange' };
        out.checks.push({ check: 'serverKeyExchange', passed: true, detail: "the one-time key share is signed with the certificate's key, over both randoms: the share is the certificate holder's, and fresh" });
        return { serverShare: message.publicKey, group: message.group };
      },
    },
    allPassed: "Certificate checked offline with the CA's pre-installed public key, and its key signed the one-time share: every check passes.",
    /** Our own one-time share; with the server's it makes the pre-master secret. */
    keyExchange(state, ctx, out) {
      const { group, serverShare } = state.params;
      const ephemeral = ephemeralShare(group, ctx.rng);
      const preMaster = preMasterFrom(group, ephemeral.secretKey, serverShare);
      if (!(preMaster instanceof Uint8Array)) return preMaster;
      out.learned[ephemeralName(group)] = ephemeral.secretKey;
      return {
        kex: { type: 'ClientKeyExchange', encryptedPreMaster: new Uint8Array(0), ecdhPublic: ephemeral.publicKey },
        preMaster,
        log: `Sent our own one-time ${groupName(group)} key share; with the server's signed share it makes the pre-master secret, which never crosses the wire. ChangeCipherSpec, then Finished (our first encrypted message).`,
      };
    },
    proof: 'signedShare',
    verified: ['Both one-time secrets are now forgotten: a later leak of the bank’s key cannot recreate these session keys (forward secrecy).'],
  },
  server: {
    /** RFC 8422 §5.1.1: an ECDHE suite only on a curve the client lists (no list: any curve it implements): the first of ours it lists. */
    accept(hello, spec) {
      const listed = supportedGroups(hello);
      const group = listed ? spec.groups.find((g) => listed.includes(g)) : spec.groups[0];
      return group === undefined ? { reason: 'unsupportedHello', detail: `the client offers no curve we speak (${registryNames(spec.groups)}) in supported_groups` } : { choice: group };
    },
    serverKeyExchange(group, randoms, ctx, config, out) {
      const ephemeral = ephemeralShare(group, ctx.rng);
      const ske: MessageOf<'ServerKeyExchange'> = {
        type: 'ServerKeyExchange',
        group,
        publicKey: ephemeral.publicKey,
        scheme: SCHEME.ecdsaP256Sha256,
        signature: ecdsaP256Sign(config.signingKey.secretKey, serverKeyExchangeSigned(randoms, group, ephemeral.publicKey)),
      };
      out.learned[ephemeralName(group)] = ephemeral.secretKey;
      return {
        send: [ske],
        kept: { group, ephemeral },
        log: `ServerHello (our public random), our certificate signed by the CA, a one-time ${groupName(group)} key share signed with the certificate’s key (ServerKeyExchange), ServerHelloDone.`,
      };
    },
    awaits: 'ClientKeyExchange (the client’s ECDH key share)',
    carries: (message) => message.ecdhPublic.length > 0,
    preMaster({ group, ephemeral }, message) {
      const preMaster = preMasterFrom(group, ephemeral.secretKey, message.ecdhPublic);
      if (!(preMaster instanceof Uint8Array)) return preMaster;
      return { preMaster, log: "The client's one-time share and ours make the pre-master secret; derived the session keys. Whether the client had our real share shows at Finished." };
    },
    done: 'Client Finished verified; ChangeCipherSpec and our Finished sent. The session is protected; our one-time secret is discarded.',
  },
};

/** The browser's TLS 1.2 ECDHE client, speaking the level's suite and groups and checking its certificate key. */
export const level4eClient = (spec: Tls12Spec) => tls12Client(spec, ECDHE_ECDSA);

/** The bank's TLS 1.2 ECDHE server, speaking the level's suite on the first of its groups the client lists. */
export const level4eServer = (spec: Tls12Spec) => tls12Server(spec, ECDHE_ECDSA);
