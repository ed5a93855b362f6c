/**
 * The session keys a holder of the pre-master secret computes from a recorded TLS 1.2 handshake
 * (levels 4 and 4e): with the public randoms — or, when both hellos carried extended_master_secret
 * (RFC 7627), with the hash of the recorded handshake up to ClientKeyExchange, just as public.
 * The extended master secret binds the keys to the handshake; it hides nothing from a key thief.
 * The key length is the recorded ServerHello's suite's; none for a suite the game does not speak.
 */
import { findMessage, type Recording } from '../attacker/recording.ts';
import { hasExtendedMasterSecret } from '../handshake/hello.ts';
import { tls12Keys, type Tls12Keys } from '../handshake/tls12-common.ts';
import { suiteKeyLength } from '../handshake/tls-spec.ts';
import { append } from '../handshake/transcript.ts';
import type { HandshakeMessage } from '../messages/tls.ts';

/** Why no keys come of a recording whose ServerHello names a suite the game does not speak. */
export const UNKNOWN_SUITE = "the recorded ServerHello names a cipher suite the game does not speak: its keys cannot be worked out";

export function recordedKeys(r: Recording, preMaster: Uint8Array): Tls12Keys | undefined {
  const hello = findMessage(r, 'ClientHello', 'client');
  const serverHello = findMessage(r, 'ServerHello', 'server');
  const keyLength = serverHello && suiteKeyLength(serverHello.cipherSuite);
  if (!hello || !serverHello || keyLength === undefined) return undefined;
  const throughKeyExchange: (HandshakeMessage | undefined)[] = [
    hello,
    serverHello,
    findMessage(r, 'Certificate', 'server'),
    findMessage(r, 'ServerKeyExchange', 'server'),
    findMessage(r, 'ServerHelloDone', 'server'),
    findMessage(r, 'ClientKeyExchange', 'client'),
  ];
  const extendedMasterSecret = hasExtendedMasterSecret(hello) && hasExtendedMasterSecret(serverHello);
  return tls12Keys(preMaster, { clientRandom: hello.random, serverRandom: serverHello.random, extendedMasterSecret }, append([], ...throughKeyExchange.filter((m) => m !== undefined)), keyLength);
}
