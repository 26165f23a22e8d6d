// Socket addresses as the JS side knows them. A core has no kernel socket table, so only what
// lib/net.js recorded is known: a server's `_connectionKey` (`<family>:<address>:<port>`, set at
// listen), a socket's cached `_sockname` / `_peername` (set once the program asked for its
// address), an accepted socket's server, and a client's `_host` (set when it resolved a name).
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { numberValue, objectProp, prop, stringOf } from './js-object.js';

/** Role: one end of a connection; `port` is absent where unknown. */
export interface Endpoint {
  readonly address?: string;
  readonly port?: number;
  /** Pipes: the path. */
  readonly path?: string;
}

/** Parses lib/net.js's connection key `addressType:address:port` (the address may hold colons). */
export function parseConnectionKey(key: string): Endpoint | undefined {
  const first = key.indexOf(':');
  const last = key.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  const family = key.slice(0, first);
  const address = key.slice(first + 1, last);
  const port = Number(key.slice(last + 1));
  if (family === '-1') return { path: address };
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  // listen(0) records port 0: the port the kernel chose is not in the process's memory.
  return port === 0 ? { address } : { address, port };
}

function addressObject(heap: V8Heap, o: HeapObject | undefined): Endpoint | undefined {
  if (o === undefined) return undefined;
  const address = stringOf(heap, prop(heap, o, 'address'));
  const port = numberValue(heap, prop(heap, o, 'port'));
  if (address === undefined && port === undefined) return undefined;
  return { ...(address !== undefined ? { address } : {}), ...(port !== undefined ? { port } : {}) };
}

/** The local and remote ends of a net.Server or net.Socket, as far as the JS objects recorded them. */
export function socketEndpoints(heap: V8Heap, owner: HeapObject, type: string): { local?: Endpoint; remote?: Endpoint } {
  const key = stringOf(heap, prop(heap, owner, '_connectionKey'));
  if (key !== undefined) {
    const local = parseConnectionKey(key);
    return local !== undefined ? { local } : {};
  }
  if (type === 'pipe') {
    const path = stringOf(heap, prop(heap, owner, '_pipeName'));
    return path !== undefined ? { local: { path } } : {};
  }
  let local = addressObject(heap, objectProp(heap, owner, '_sockname'));
  let remote = addressObject(heap, objectProp(heap, owner, '_peername'));
  if (local === undefined) {
    // An accepted socket's local end is its server's listening address and port.
    const server = objectProp(heap, owner, '_server') ?? objectProp(heap, owner, 'server');
    const skey = server === undefined ? undefined : stringOf(heap, prop(heap, server, '_connectionKey'));
    local = skey === undefined ? undefined : parseConnectionKey(skey);
  }
  if (remote === undefined) {
    const host = stringOf(heap, prop(heap, owner, '_host'));
    if (host !== undefined) remote = { address: host };
  }
  return { ...(local !== undefined ? { local } : {}), ...(remote !== undefined ? { remote } : {}) };
}
