/** Pages a signed-out person may see; a lost session elsewhere goes to sign-in. */
export const SIGNED_OUT_PATHS: readonly string[] = ["/sign-in", "/setup", "/invite"];

export const isSignedOutPath = (pathname: string) => SIGNED_OUT_PATHS.includes(pathname);

/**
 * Where to go after signing in, from a `returnTo` that anyone could have put in a link: only a path of this app
 * (never another site, "//evil.example" or "/\evil.example", never back to a signed-out page), else Home.
 */
export function safeReturnTo(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  const pathname = raw.split(/[?#]/, 1)[0] ?? "/";
  // The invitation page is the one signed-out page worth coming back to: the link holds the token.
  if (isSignedOutPath(pathname) && pathname !== "/invite") return "/";
  return raw;
}

/** The sign-in page, remembering where the person was. */
export function signInPath(here: { pathname: string; search: string; hash: string }): string {
  const back = `${here.pathname}${here.search}${here.hash}`;
  return back === "/" || isSignedOutPath(here.pathname) ? "/sign-in" : `/sign-in?returnTo=${encodeURIComponent(back)}`;
}
