/**
 * What the host asked the room to play next: the level, the bots and the event. The lobby is
 * drawn from the room's state, which shows a change only once the room has applied it; a second
 * change made before then must build on the first, not on what the screen still shows (a bot
 * chosen right after practice opened at level 4 asked for level 1 again, and the round played
 * level 1). The room's own state is the truth again once it shows what was asked, or refuses it.
 */
import type { LobbyInfo } from '../bus.ts';
import { EVENT_BOT_ATTACKS, type BotBehaviours, type Level, type LevelEvent } from '../shared.ts';

export interface RoomSettings {
  level: Level;
  bots: Partial<BotBehaviours>;
  event?: LevelEvent;
}

/** What the room's state shows: its level and event, and the behaviour of each seat's bot. */
export function settingsShown(lobby: LobbyInfo): RoomSettings {
  const bots: Partial<Record<keyof BotBehaviours, string>> = {};
  for (const seat of lobby.seats) if (seat.behaviour) bots[seat.role] = seat.behaviour;
  return { level: lobby.level, bots: bots as Partial<BotBehaviours>, ...(lobby.event ? { event: lobby.event } : {}) };
}

/** One change the host makes; `event: undefined` switches the event off; a level and its event together (the practice map's steps). */
export type SettingsChange = { level: Level } | { bots: Partial<BotBehaviours> } | { event: LevelEvent | undefined } | { level: Level; event: LevelEvent | undefined };

export class HostSettings {
  private asked: RoomSettings | undefined;

  /** The settings to send: `change` applied to what was last asked, or to what the room shows. */
  change(shown: RoomSettings, change: SettingsChange): RoomSettings {
    const base = this.asked ?? shown;
    const bots = 'bots' in change ? { ...base.bots, ...change.bots } : base.bots;
    // An event that is an attack of its own, switched on: a bot attacker plays it (the host may pick another after).
    const eventAttack = 'event' in change && change.event ? EVENT_BOT_ATTACKS[change.event] : undefined;
    const next = { ...base, ...change, bots: eventAttack && bots.attacker !== undefined ? { ...bots, attacker: eventAttack } : bots };
    this.ask(next);
    return next;
  }

  /** Remember settings sent whole (practice opens with its level and bots). */
  ask(settings: RoomSettings): void {
    this.asked = settings;
  }

  /** The room's state arrived: once it shows everything asked, it is the truth again. */
  shown(room: RoomSettings): void {
    const asked = this.asked;
    if (!asked) return;
    const botsShown = Object.entries(asked.bots).every(([role, behaviour]) => room.bots[role as keyof BotBehaviours] === behaviour);
    if (asked.level === room.level && asked.event === room.event && botsShown) this.asked = undefined;
  }

  /** The room refused a change: what it shows stays the truth. */
  refused(): void {
    this.asked = undefined;
  }
}
