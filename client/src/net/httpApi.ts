/**
 * The game server's HTTP API, beside its websocket: creating a class, the teacher's results
 * export and round files (the teacher secret travels in a header, never in the URL, where
 * history, logs and Referer headers would keep it), and the addresses students can open.
 * Failures come back as Errors whose message a player may read.
 */
import { HTTP, roomFilePath, type AddressesResponse, type CreateClassResponse, type DownloadFile } from '../shared.ts';
import { orderOrigins } from './addresses.ts';

export interface FetchedFile {
  mediaType: string;
  bytes: Uint8Array;
}

export class HttpApi {
  private origins?: Promise<string[]>;

  constructor(private readonly endpoint: string) {}

  async createClass(): Promise<CreateClassResponse> {
    const res = await fetch(this.url(HTTP.createClass), { method: 'POST' });
    if (!res.ok) throw new Error(`Could not create a class (HTTP ${res.status}).`);
    return (await res.json()) as CreateClassResponse;
  }

  /** The class results as a CSV file, for the teacher. */
  async resultsCsv(classCode: string, teacherSecret: string): Promise<Blob> {
    const res = await fetch(this.url(`${HTTP.createClass}/${encodeURIComponent(classCode)}/results.csv`), { headers: { [HTTP.teacherSecretHeader]: teacherSecret } });
    if (!res.ok) throw new Error(`Could not export the results (HTTP ${res.status}).`);
    return await res.blob();
  }

  /** A file of a class room's last finished round, for the teacher. */
  async roomFile(classCode: string, roomId: string, file: DownloadFile, teacherSecret: string): Promise<FetchedFile> {
    const res = await fetch(this.url(roomFilePath(classCode, roomId, file)), { headers: { [HTTP.teacherSecretHeader]: teacherSecret } });
    if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? `Could not download the file (HTTP ${res.status}).`);
    return { mediaType: res.headers.get('content-type') ?? 'application/octet-stream', bytes: new Uint8Array(await res.arrayBuffer()) };
  }

  /** Addresses students can open, best first (addresses.ts); asked once. */
  reachableOrigins(): Promise<string[]> {
    this.origins ??= fetch(this.url(HTTP.addresses))
      .then((res) => (res.ok ? (res.json() as Promise<AddressesResponse>) : { urls: [] }))
      .catch(() => ({ urls: [] }) as AddressesResponse)
      .then(({ urls }) => orderOrigins(this.endpoint, urls));
    return this.origins;
  }

  private url(path: string): string {
    return new URL(path.replace(/^\//, ''), this.endpoint.replace(/\/?$/, '/')).toString();
  }
}
