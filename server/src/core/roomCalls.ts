/**
 * How a class lobby and the game rooms of its match reach each other, wherever each runs: the
 * calls of class/matchLink.ts, game rooms opened for the match, and the liveness of the
 * processes running them. In the server, Colyseus' matchmaker carries them, across processes
 * through Redis (rooms/colyseusPorts.ts); in the headless server, plain calls in one process
 * (headless.ts). Every call may fail (a room gone, Redis away): the callers retry through a
 * courier (cluster/courier.ts) or give up, as the match allows.
 */
import type { GameRoomCalls, LobbyCalls, MatchRoomOptions } from '../class/matchLink.ts';

export type Call<Api, M extends keyof Api> = Api[M] extends (...args: infer A) => infer R ? { args: A; answer: R } : never;

export interface RoomCalls {
  /** Rooms may run on other processes, which can die with their rooms: the lobby and its rooms watch each other's. */
  readonly severalProcesses: boolean;
  /** A game room for the match, on whichever process has room for it. */
  openGameRoom(options: MatchRoomOptions): Promise<{ roomCode: string; processId: string }>;
  toGameRoom<M extends keyof GameRoomCalls>(roomCode: string, method: M, args: Call<GameRoomCalls, M>['args']): Promise<Call<GameRoomCalls, M>['answer']>;
  toLobby<M extends keyof LobbyCalls>(classCode: string, method: M, args: Call<LobbyCalls, M>['args']): Promise<Call<LobbyCalls, M>['answer']>;
  /** Game rooms of this class still open, on any process. */
  gameRoomsOfClass(classCode: string): Promise<number>;
  /** The process has stopped, for sure (cluster/remote.ts `processGone`). */
  processGone(processId: string): Promise<boolean>;
}
