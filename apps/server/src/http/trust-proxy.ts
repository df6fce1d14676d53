import proxyaddr from "proxy-addr";

/**
 * TRUST_PROXY as Express's `trust proxy` setting: a number of proxies in front, or the proxies' addresses, CIDR
 * ranges or proxy-addr's names (loopback, linklocal, uniquelocal), comma-separated. Checked with proxy-addr, the
 * parser Express itself uses, so a value Express would throw on is refused at start with a message instead.
 * "true" is refused: it would let any client name any address (sign-in limits and the audit log rely on it).
 */
export function trustProxySetting(value: string): number | string[] {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  if (/^(true|yes|on)$/i.test(v)) {
    throw new Error("TRUST_PROXY=true would believe any client's X-Forwarded-For; give the number of proxies in front (e.g. 1), or their addresses or ranges (e.g. loopback, 10.0.0.0/8)");
  }
  const list = v.split(",").map((s) => s.trim()).filter(Boolean);
  try {
    proxyaddr.compile(list);
  } catch (e) {
    throw new Error(`TRUST_PROXY: ${(e as Error).message}; give a number of proxies, or addresses, CIDR ranges, loopback, linklocal or uniquelocal, comma-separated`);
  }
  return list;
}
