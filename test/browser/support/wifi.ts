/**
 * The student's Wi-Fi between the browser and the game server: a TCP path the test can cut, as a
 * dropped connection cuts it. Every connection open through it is reset at once (the page sees
 * its websocket fail, not close); new connections go through again.
 */
import net from 'node:net';

export interface Wifi {
  /** The game's address through this path. */
  url: string;
  /** Reset every connection open through it now. */
  drop(): void;
  close(): Promise<void>;
}

export async function wifiTo(serverPort: number): Promise<Wifi> {
  const open = new Set<net.Socket>();
  const server = net.createServer((browserSide) => {
    const serverSide = net.connect({ host: '127.0.0.1', port: serverPort });
    for (const [socket, other] of [
      [browserSide, serverSide],
      [serverSide, browserSide],
    ] as const) {
      open.add(socket);
      socket.pipe(other);
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        open.delete(socket);
        other.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    drop() {
      for (const socket of open) socket.resetAndDestroy();
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
