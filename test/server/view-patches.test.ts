/**
 * Views go out as patches to the last one sent: the receiving end must rebuild every view
 * exactly, for every seat and watcher, through whole rounds of every level and attack.
 */
import { describe, expect, it } from 'vitest';
import { ATTACKER_BEHAVIOURS, LEVELS, ROLES, botAction, createRound, DEFAULT_CONFIG, nextEventAt, applyAction, seededRng, spectatorView, tick, viewFor, BOT_ORDER, type BotBehaviours, type RoleView, type SpectatorView } from '@heist/shared';
import { ViewChannels } from '../../server/src/game/viewChannels.ts';
import { ViewStream } from '../../client/src/net/viewStream.ts';

describe('views as patches', () => {
  for (const level of LEVELS) {
    it(`rebuilds every view exactly at level ${level}, for every attack`, () => {
      for (const attacker of ATTACKER_BEHAVIOURS) {
        const bots: BotBehaviours = { client: 'careless', server: 'standard', ca: 'sloppy', attacker };
        const round = createRound({ ...DEFAULT_CONFIG, latencyMs: 100, graceMs: 0, level, bots }, seededRng(`patches-${level}-${attacker}`), 0);
        const channels = new ViewChannels<RoleView | SpectatorView>();
        const streams = new Map<string, ViewStream<RoleView | SpectatorView>>();
        let patched = 0;
        const check = () => {
          const views: [string, RoleView | SpectatorView][] = [...ROLES.map((r) => [r, viewFor(round, r)] as [string, RoleView]), ['watcher', spectatorView(round, 'public')]];
          for (const [who, view] of views) {
            const stream = streams.get(who) ?? new ViewStream();
            streams.set(who, stream);
            const d = channels.next(who, view);
            if (d && 'whole' in d) stream.whole(structuredClone(d.whole));
            else if (d) {
              patched++;
              expect(stream.patch(JSON.parse(JSON.stringify(d.patch))), `${who} at level ${level}, ${attacker}`).toBeDefined();
            }
            expect(stream.view, `${who} at level ${level}, ${attacker}`).toEqual(JSON.parse(JSON.stringify(view)));
          }
        };
        for (let step = 0; step < 400 && round.phase !== 'over'; step++) {
          for (const role of BOT_ORDER) {
            const action = botAction(viewFor(round, role), bots);
            if (action && !applyAction(round, role, action, round.now)) check();
          }
          const at = nextEventAt(round);
          if (at === null) break;
          tick(round, at);
          check();
        }
        expect(round.phase).toBe('over');
        expect(patched).toBeGreaterThan(0);
      }
    });
  }
});
