import type { AnyAction, DownloadOffer, FieldNode } from '../../shared.ts';

/** What a role panel may do: send an action (through the connection), open the inspector, fetch a file its view offers; where its Ready button goes. */
export interface PanelContext {
  act(action: AnyAction): void;
  inspect(packetId: number): void;
  inspectFields(title: string, fields: FieldNode[]): void;
  download(offer: DownloadOffer): void;
  /** The seat's "I am ready" (ReadyBox): each panel places it under its own preparation. */
  readonly ready: HTMLElement;
}
