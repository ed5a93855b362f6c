/**
 * What a class lobby asks of its host (core/classHost.ts): its connections, and
 * the game rooms of its match, which may run on other server processes.
 */
import type { ClassServerMessages } from '@heist/shared';
import type { MatchCommand, MatchRoomOptions } from './matchLink.ts';

export interface LobbyHooks {
  sendToPlayer<K extends keyof ClassServerMessages>(playerId: string, type: K, payload: ClassServerMessages[K]): void;
  /** Open a game room for the match (on whichever process has room for it); resolves to its code and process. */
  openGameRoom(options: MatchRoomOptions): Promise<{ roomCode: string; processId: string }>;
  /** Send a command to a game room of the match (delivered in order; a room that is gone is not an error). */
  tellRoom(roomCode: string, matchKey: string, command: MatchCommand): void;
  /** Disconnect a removed player's lobby connection. */
  kickFromLobby(playerId: string): void;
  /** Send to every teacher connection. */
  sendToTeacher<K extends keyof ClassServerMessages>(type: K, payload: ClassServerMessages[K]): void;
  isConnected(playerId: string): boolean;
  /** Game rooms of this class still open, on any process (those of a match whose lobby died finish their round first). */
  matchRoomsOpen(): Promise<number>;
}
