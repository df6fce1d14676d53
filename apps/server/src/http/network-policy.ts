import { BlockList, isIP } from "node:net";

/**
 * Which names this server answers to (the `Host` header) and which origins may send it requests that change
 * data. A page whose DNS name rebinds to 127.0.0.1 reaches the server with its own name in `Host` and `Origin`,
 * so neither may be compared with the other: both are checked against lists the admin controls.
 *
 * Host names and origins are parsed by the WHATWG URL parser (the one browsers use), which also brings IP
 * literals to one form (`127.1` and `0x7f.0.0.1` are `127.0.0.1`); after that, matching is exact.
 */
export interface NetworkPolicy {
  /** Names (and, when given, ports) besides the loopback ones that `Host` may carry. */
  hosts: readonly HostEntry[];
  /** Origins allowed outright: ALLOWED_ORIGINS and PUBLIC_URL's origin. */
  origins: ReadonlySet<string>;
  /**
   * Whether the server is meant to be reached from other machines: HOST is not loopback, or PUBLIC_URL or
   * ALLOWED_HOSTS name a host that is not (a proxy on this machine serving a loopback-only Sluice to the network).
   */
  onNetwork: boolean;
}

export interface HostEntry {
  hostname: string;
  /** Empty: any port. */
  port: string;
}

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

const unbracket = (hostname: string) => hostname.replace(/^\[(.*)\]$/, "$1");

/** A name that only ever means this machine: `localhost`, or an IP literal in 127.0.0.0/8 or ::1. */
export function isLoopbackName(hostname: string): boolean {
  if (hostname.toLowerCase() === "localhost") return true;
  const ip = unbracket(hostname);
  const family = isIP(ip);
  return family !== 0 && loopback.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/** `host[:port]` as sent in a Host header, canonicalised; undefined when it is anything more (user info, a path). */
export function parseHost(value: string): HostEntry | undefined {
  if (value === "" || /[/?#@\\\s]/.test(value)) return undefined;
  try {
    const url = new URL(`http://${value}`);
    // The parser accepts some characters no DNS name or address has (`*`, `!`); a Host with them names nothing.
    if (!/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/.test(url.hostname)) return undefined;
    return { hostname: url.hostname, port: url.port };
  } catch {
    return undefined;
  }
}

const WILDCARD_ADDRESSES = new Set(["0.0.0.0", "::", "[::]"]);

export interface NetworkSettings {
  /** HOST: the interface the server listens on. */
  listenHost: string;
  /** PUBLIC_URL: the address people and the CLI use to reach this server, e.g. behind a proxy. */
  publicUrl?: string | undefined;
  /** ALLOWED_HOSTS: further names, `name` (any port) or `name:port`. */
  allowedHosts?: readonly string[];
  /** ALLOWED_ORIGINS: further origins allowed to send requests that change data, e.g. a Vite dev server. */
  allowedOrigins?: readonly string[];
}

/** Builds the policy from settings; throws with the setting to fix when one is not a host name or an origin. */
export function networkPolicy(s: NetworkSettings): NetworkPolicy {
  const hosts: HostEntry[] = [];
  const origins = new Set<string>();
  // Listening on one address makes that address a name of this server; 0.0.0.0 names nothing.
  const listen = WILDCARD_ADDRESSES.has(s.listenHost) ? undefined : parseHost(isIP(s.listenHost) === 6 ? `[${s.listenHost}]` : s.listenHost);
  if (listen) hosts.push({ hostname: listen.hostname, port: "" });
  if (s.publicUrl) {
    const url = parseUrl(s.publicUrl, "PUBLIC_URL");
    hosts.push({ hostname: url.hostname, port: url.port });
    origins.add(url.origin);
  }
  for (const h of s.allowedHosts ?? []) {
    const entry = parseHost(h);
    if (!entry) throw new Error(`ALLOWED_HOSTS: "${h}" is not a host name or host:port (e.g. sluice.example.com or 10.0.0.5:3000).`);
    hosts.push(entry);
  }
  for (const o of s.allowedOrigins ?? []) origins.add(parseUrl(o, "ALLOWED_ORIGINS").origin);
  // Served on a network: listening beyond loopback, or reached through a proxy by a name that is not loopback.
  const onNetwork = !listen || hosts.some((h) => !isLoopbackName(h.hostname));
  return { hosts, origins, onNetwork };
}

function parseUrl(value: string, setting: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${setting}: "${value}" is not a URL such as https://sluice.example.com.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`${setting}: "${value}" must start with http:// or https://.`);
  return url;
}

/**
 * Whether a request's Host names this server. Loopback names pass with any port: a browser sends one only for a
 * page served from this machine, and Vite's dev proxy forwards `localhost:5173`; a rebinding page cannot make the
 * browser send them, since its Host is its own name.
 */
export function hostAllowed(policy: NetworkPolicy, hostHeader: string | undefined): boolean {
  const host = hostHeader === undefined ? undefined : parseHost(hostHeader);
  if (!host) return false;
  if (isLoopbackName(host.hostname)) return true;
  return policy.hosts.some((e) => e.hostname === host.hostname && (e.port === "" || e.port === host.port));
}

const defaultPort = (url: URL) => url.port || (url.protocol === "https:" ? "443" : "80");

/**
 * Whether a page at `origin` may send this server requests that change data: an origin the admin allowed, or a
 * name this server answers to on the port the request actually arrived at (the socket's, not a header's) or the
 * port its entry names. A page on another port of localhost is another application, and is refused.
 */
export function originAllowed(policy: NetworkPolicy, origin: string, localPort: number | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (policy.origins.has(url.origin)) return true;
  const port = defaultPort(url);
  if (isLoopbackName(url.hostname)) return port === String(localPort);
  return policy.hosts.some((e) => e.hostname === url.hostname && (e.port === "" ? port === String(localPort) : e.port === port));
}
