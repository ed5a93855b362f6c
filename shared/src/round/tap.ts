/**
 * The attacker's tap on the café Wi-Fi, as a packet leaves it toward its receiver:
 * - stripping (levels 2-5): the client's first handshake message is dropped and answered
 *   with plain HTTP; plain requests that follow go to the attacker, who relays them to the
 *   bank over her own secure session (as sslstrip does);
 * - the proxy (levels 3-5): when on as the client's first message passes, the attacker's
 *   proxy takes the whole connection, and everything the client sends goes to her.
 */
import type { Packet, Round } from './state.ts';
import { log } from './state.ts';
import { sendPacket } from './network.ts';
import { safeDecode } from '../handshake/level4-tls12.ts';
import { startProxy, startRelay } from './proxy.ts';

export function passTap(round: Round, packet: Packet): void {
  if (packet.from !== 'client' || packet.to !== 'server') return;
  const client = round.client;
  const first = client.firstPacket === undefined || client.firstPacket === packet.id;
  if (first) client.firstPacket = packet.id;
  const message = safeDecode(packet.bytes);
  const level = round.config.level;

  if (round.attacker.stripping && level >= 2) {
    if (first && (message?.type === 'ClientHello' || message?.type === 'KeyTransport')) {
      packet.status = 'dropped';
      round.attacker.interfered.push('stripped HTTPS from the connection');
      log(round, 'attacker', `Stripped packet #${packet.id} (${message.type}) and answered in plain HTTP as the bank.`, ['attacker'], 'warning');
      sendPacket(round, 'attacker', 'client', { type: 'HttpResponse', status: 200, body: 'Welcome to bank.example — secure login is unavailable, continue at http://bank.example' }, { origin: 'injected', apparentFrom: 'server' });
      startRelay(round);
      return;
    }
    if (message?.type === 'HttpRequest') {
      packet.to = 'attacker';
      return;
    }
  }

  if (first && round.attacker.substitute !== 'off' && level >= 3) startProxy(round);
  if (round.attacker.proxy) packet.to = 'attacker';
}
