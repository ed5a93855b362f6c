import type { AnyAction, FieldNode } from '../../shared.ts';

/** What a role panel may do: send an action (through the connection) and open the inspector. */
export interface PanelContext {
  act(action: AnyAction): void;
  inspect(packetId: number): void;
  inspectFields(title: string, fields: FieldNode[]): void;
}
