import type { Request, Response } from "express";
import { parse } from "cookie";

/**
 * A cookie of Sluice's own (the session, an SSO attempt): HttpOnly, SameSite=Lax, for the whole site. Over HTTPS it
 * is Secure and `__Host-` prefixed, which browsers accept only from HTTPS, for path / and without a Domain, so a
 * neighbouring subdomain cannot plant or overwrite it; and then only that name is read, since a plain-named copy
 * could have been planted over plain HTTP or by such a neighbour.
 */
export function hostCookie(name: string) {
  const hostOnly = `__Host-${name}`;
  const nameFor = (secure: boolean) => (secure ? hostOnly : name);
  const options = (secure: boolean) => ({ httpOnly: true, sameSite: "lax" as const, secure, path: "/" });
  return {
    read(req: Request, secure: boolean): string | undefined {
      const header = req.get("cookie");
      return header ? parse(header)[nameFor(secure)] : undefined;
    },
    /** Sets it, replacing any Set-Cookie of this cookie the answer already carries (one per name). */
    set(res: Response, value: string, secure: boolean, lifetime: { expires: Date } | { maxAge: number }): void {
      const earlier = res.getHeader("set-cookie");
      if (Array.isArray(earlier)) res.setHeader("set-cookie", earlier.filter((c) => !c.startsWith(`${name}=`) && !c.startsWith(`${hostOnly}=`)));
      res.cookie(nameFor(secure), value, { ...options(secure), ...lifetime });
    },
    clear(res: Response, secure: boolean): void {
      res.clearCookie(nameFor(secure), options(secure));
    },
  };
}
