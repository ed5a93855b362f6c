/**
 * The attacker's tap on the café Wi-Fi, as a packet from the client leaves it toward the bank:
 * - stripping (levels with http:// first): the client's plain requests go to the attacker, who
 *   hides the bank's redirect, answers in plain HTTP herself and relays each request to the
 *   bank over her own HTTPS session (as sslstrip does). A browser with HSTS sends no plain
 *   request, so there is nothing to strip;
 * - the proxy (levels with a key to substitute): when on as the client's handshake begins, her
 *   proxy takes the whole connection, and everything the client sends goes to her;
 * - a name she registered (the look-alike event): Alice's browser reaches her site directly.
 */
import type { Packet, Round } from './state.ts';
import { log } from './state.ts';
import { DOMAIN_OWNERS } from './world.ts';
import { startLookalikeSite, startProxy, startRelay, type ProxySend } from './proxy.ts';
import { inspect } from './inspected.ts';

/** What the tap does to a packet; returns what her proxy, starting here, sends (the network sends it). */
export function passTap(round: Round, packet: Packet): ProxySend[] {
  if (packet.from !== 'client' || packet.to !== 'server') return [];
  const client = round.client;
  const a = round.attacker;
  const message = inspect(packet.bytes).message;
  const plainRequest = message?.type === 'HttpRequest';
  client.firstPacket ??= packet.id;
  const handshakeStarts = !plainRequest && client.firstHandshakePacket === undefined;
  if (handshakeStarts) client.firstHandshakePacket = packet.id;

  // A name Mallory registered (the look-alike event) resolves to her machine: all Alice sends goes to her site.
  if (DOMAIN_OWNERS[client.config.serverName] === 'attacker') {
    const sends = a.proxy ? [] : startLookalikeSite(round);
    packet.to = 'attacker';
    return sends;
  }

  if (a.stripping && round.module.httpFirst) {
    if (plainRequest) {
      let sends: ProxySend[] = [];
      if (!a.proxy) {
        a.interfered.push("stripped HTTPS: hid the bank's redirect and answered the client in plain HTTP herself");
        log(round, 'attacker', `The client asked http://${client.config.serverName}/ in plain HTTP (packet #${packet.id}): you take it, and will answer it yourself.`, ['attacker'], 'warning');
        sends = startRelay(round);
      }
      packet.to = 'attacker';
      return sends;
    }
    if (handshakeStarts && message?.type === 'ClientHello' && !a.proxy) {
      a.findings.push('Nothing to strip: the browser went straight to https:// (it has HSTS for the bank), so no plain request crossed your tap.');
      log(round, 'attacker', 'Nothing to strip: the client went straight to HTTPS (HSTS).', ['attacker'], 'failure');
    }
  }

  const sends = handshakeStarts && a.substitute !== 'off' && round.module.personas.length > 0 ? startProxy(round) : [];
  if (a.proxy) packet.to = 'attacker';
  return sends;
}
