/** botAction: a bot's next move, chosen only from its own seat's view. */
import type { Rng } from '../crypto/rng.ts';
import type { AnyAction } from '../basics/actions.ts';
import type { BotBehaviours } from '../basics/roles.ts';
import type { RoleView } from '../round/types.ts';
import { attackerBot } from './attacker.ts';
import { caBot, clientBot, serverBot } from './defenders.ts';

export { effectiveBehaviour } from './attacker.ts';

/** The rng is accepted for behaviours that vary; today's bots are deterministic given the view. */
export function botAction(view: RoleView, behaviours: BotBehaviours, _rng?: Rng): AnyAction | null {
  switch (view.role) {
    case 'client':
      return clientBot(view, behaviours.client);
    case 'server':
      return serverBot(view);
    case 'ca':
      return caBot(view, behaviours.ca);
    case 'attacker':
      return attackerBot(view, behaviours.attacker);
  }
}
