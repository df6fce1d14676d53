import { isSensitiveName } from "@sluice/model";

type Secret = { name: string; value: string };

/** The secrets a URL carries: its user info, and query parameters whose names may carry one (api_key, token, …). */
export type UrlSecrets = {
  /** The decoded user name and password of `https://user:pw@host/`; undefined without user info. */
  userinfo: { user: string; password: string } | undefined;
  params: Secret[];
  /** The URL without them; the URL as given when it carries none. */
  rest: string;
};

/**
 * Splits a URL's secrets off; undefined for a URL that does not parse. The names go through the one sensitive-name
 * pattern that plain headers use, so a query parameter is refused exactly when a header of its name would be.
 */
export function urlSecrets(url: string): UrlSecrets | undefined {
  if (!URL.canParse(url)) return undefined;
  const u = new URL(url);
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const userinfo = u.username || u.password ? { user: decode(u.username), password: decode(u.password) } : undefined;
  const params = [...u.searchParams].filter(([name]) => isSensitiveName(name)).map(([name, value]) => ({ name, value }));
  if (!userinfo && params.length === 0) return { userinfo, params, rest: url };
  u.username = "";
  u.password = "";
  for (const name of new Set(params.map((p) => p.name))) u.searchParams.delete(name);
  return { userinfo, params, rest: u.toString() };
}

/** What a URL's secrets are called for people: "URL user info", then each parameter's name. */
export const urlSecretLabels = (s: UrlSecrets): string[] => [...(s.userinfo ? ["URL user info"] : []), ...new Set(s.params.map((p) => p.name))];
