/**
 * RFC 8446 §7.1 and §4.6.1 with a pre-shared key: the resumption master secret and a ticket's
 * PSK, the early secret, the binder key and the binder (§4.2.11.2), checked against the RFC 8448
 * §3-§4 traces (the resumed 0-RTT handshake). Vectors: test/vectors/rfc8448-resumed-0rtt.json,
 * the §3 handshake from rfc8448-simple-1rtt.json; provenance in test/vectors/README.md.
 */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../shared/src/crypto/primitives.ts';
import { hkdfExpandLabel, tls13Binder, tls13EarlySecrets, tls13ResumptionMasterSecret, tls13TicketPsk } from '../../../shared/src/crypto/tls13-key-schedule.ts';
import { concat, fromHex, toHex } from '../../../shared/src/codec/bytes.ts';
import full from '../../vectors/rfc8448-simple-1rtt.json';
import v from '../../vectors/rfc8448-resumed-0rtt.json';
import { flipped } from '../../support/flip.ts';

describe('RFC 8448 §3-§4: resumption and the binder', () => {
  it('the §3 handshake through client Finished hashes to the trace’s value, and with the master secret makes the resumption master secret', () => {
    const hash = sha256(concat(...Object.values(full.messages).map(fromHex)));
    expect(toHex(hash)).toBe(v.clientFinishedHash);
    expect(toHex(tls13ResumptionMasterSecret(fromHex(full.masterSecret), hash))).toBe(v.resumptionMasterSecret);
  });

  it('the NewSessionTicket’s nonce 00 00 makes the PSK (§4.6.1); another nonce, another PSK', () => {
    expect(toHex(tls13TicketPsk(fromHex(v.resumptionMasterSecret), fromHex(v.ticketNonce)))).toBe(v.psk);
    expect(toHex(tls13TicketPsk(fromHex(v.resumptionMasterSecret), fromHex('0001')))).not.toBe(v.psk);
  });

  it('the PSK makes the early secret and the binder key; the binder key’s finished key and the truncated ClientHello make the binder', () => {
    const { earlySecret, binderKey } = tls13EarlySecrets(fromHex(v.psk));
    expect(toHex(earlySecret)).toBe(v.earlySecret);
    expect(toHex(binderKey)).toBe(v.binderKey);
    expect(toHex(hkdfExpandLabel(binderKey, 'finished', new Uint8Array(0), 32))).toBe(v.binderFinishedKey);
    expect(toHex(tls13Binder(binderKey, fromHex(v.truncatedClientHelloHash)))).toBe(v.binder);
    // One bit of the hello changed: another binder.
    expect(toHex(tls13Binder(binderKey, flipped(fromHex(v.truncatedClientHelloHash), 0)))).not.toBe(v.binder);
  });
});
