/** The state of the browser's and the bank's connections, as each would state it: by where its machine stands and what protects the session at this level. */
import { explainFailure, failedCertificateChecks, isDetection, type Failure } from '../handshake/failures.ts';
import { gameRecordStyle } from '../round/records.ts';
import type { Round } from '../round/state.ts';
import type { ConnectionVerdict } from '../round/types.ts';

function closed(failure: Failure): ConnectionVerdict {
  return { kind: 'closed', byUs: failure.reason !== 'peerAlert', detection: isDetection(failure), detail: explainFailure(failure) };
}

/** What an established session is, by what protects it at this level. */
function established(round: Round, encrypted: boolean, side: 'client' | 'server'): ConnectionVerdict {
  if (!encrypted) return { kind: 'plainHttp' };
  // The key card of the event "encryption without integrity": no key on the wire, and no tag on the records.
  if (gameRecordStyle(round) === 'gameCtr') return { kind: 'noIntegrity' };
  switch (round.module.protection) {
    case 'plainHttp':
      return { kind: 'plainHttp' };
    case 'keyInTheClear':
      return { kind: 'keyInTheClear' };
    case 'unauthenticatedKey':
      return { kind: 'unauthenticatedKey' };
    case 'tls': {
      if (side === 'server') return { kind: 'protected' };
      const failed = failedCertificateChecks(round.client.checks);
      return failed.length > 0 ? { kind: 'unverified', failed } : { kind: 'secure' };
    }
  }
}

/** The client's connection as her browser states it. */
export function clientConnection(round: Round): ConnectionVerdict {
  const c = round.client;
  if (c.failure) return closed(c.failure);
  const conn = c.connection;
  if (!conn) return { kind: 'none' };
  switch (conn.stage) {
    case 'listening':
    case 'handshaking':
      return { kind: 'handshaking' };
    case 'awaitingDecision':
      return { kind: 'awaitingDecision' };
    case 'failed':
      return { kind: 'none' };
    case 'traffic':
      return established(round, conn.encrypted, 'client');
  }
}

export function serverConnection(round: Round): ConnectionVerdict {
  const s = round.server;
  if (s.failure) return closed(s.failure);
  if (s.peer === undefined) return { kind: 'none' };
  switch (s.connection.stage) {
    case 'listening':
      return { kind: 'none' };
    case 'handshaking':
    case 'awaitingDecision':
      return { kind: 'handshaking' };
    case 'failed':
      return { kind: 'none' };
    case 'traffic':
      return established(round, s.connection.encrypted, 'server');
  }
}
