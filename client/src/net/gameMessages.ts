/**
 * What a game room says, as domain events on the bus: each seat's view and the spectator's
 * view, sent whole and then as patches to it (one stream per kind, started afresh for each
 * room: a patch that does not apply asks for the view whole again), errors, and files.
 */
import type { Room } from 'colyseus.js';
import type { Bus } from '../bus.ts';
import type { GameServerMessages, RoleView, SpectatorView } from '../shared.ts';
import { ViewStream } from './viewStream.ts';

export function relayGameMessages(room: Room, bus: Bus): void {
  const views = new ViewStream<RoleView>();
  const spectated = new ViewStream<SpectatorView>();
  const resync = () => room.send('resync', {});
  room.onMessage('view', (view: GameServerMessages['view']) => bus.emit('game:view', views.whole(view)));
  room.onMessage('viewPatch', ({ ops }: GameServerMessages['viewPatch']) => {
    const view = views.patch(ops);
    if (view) bus.emit('game:view', view);
    else resync();
  });
  room.onMessage('spectate', (view: GameServerMessages['spectate']) => bus.emit('game:spectate', spectated.whole(view)));
  room.onMessage('spectatePatch', ({ ops }: GameServerMessages['spectatePatch']) => {
    const view = spectated.patch(ops);
    if (view) bus.emit('game:spectate', view);
    else resync();
  });
  room.onMessage('error', (error: GameServerMessages['error']) => bus.emit('net:error', { code: error.code, message: error.message }));
  room.onMessage('download', (file: GameServerMessages['download']) => bus.emit('game:file', { ...file, bytes: new Uint8Array(file.bytes) }));
  // Anything else the server says (e.g. a lobby notice) is not ours to interpret.
  room.onMessage('*', () => undefined);
}
