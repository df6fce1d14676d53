import { error, fail, ok, type Issue, type Result } from "@sluice/model";
import type { HttpCredentialResolver, HttpCredentialSecret } from "../../connector.ts";

type Header = { name: string; value: string };

/** The credential an HTTP source names, if any, looked up through the server's resolver. */
export async function findCredential(
  credentialId: string | undefined,
  resolve: HttpCredentialResolver | undefined,
  nodeId: string,
): Promise<Result<HttpCredentialSecret | undefined>> {
  const id = credentialId?.trim();
  if (!id) return ok(undefined);
  const at = { nodeId, field: "credentialId" };
  if (!resolve) {
    return fail(error("CREDENTIAL_UNAVAILABLE", "HTTP credentials are stored on a Sluice server: validate and run this pipeline against a server (without --local).", at));
  }
  let found: HttpCredentialSecret | null;
  try {
    found = await resolve(id);
  } catch (e) {
    return fail(error("CREDENTIAL_UNAVAILABLE", `The HTTP credential cannot be read: ${(e as Error).message}`, at));
  }
  if (!found) return fail(error("CREDENTIAL_NOT_FOUND", `HTTP credential ${id} does not exist; choose another one on the node.`, at));
  return ok(found);
}

/**
 * The headers of one request: the node's plain headers, then the credential's secret ones (which win over a
 * plain header of the same name). A credential goes only to its hosts, or, when it names none, to the host of
 * the source's URL: never to a host that a response's next link or a later page names.
 */
export function requestHeaders(plain: readonly Header[], credential: HttpCredentialSecret | undefined, sourceUrl: string, url: string, nodeId: string): Result<Header[]> {
  if (!credential) return ok([...plain]);
  const host = new URL(url).hostname.toLowerCase();
  const hosts = credential.hosts.length > 0 ? credential.hosts : [new URL(sourceUrl).hostname.toLowerCase()];
  if (!hosts.includes(host)) {
    return fail(
      error("CREDENTIAL_HOST_NOT_ALLOWED", `The HTTP credential "${credential.name}" may only be sent to ${hosts.join(", ")}, not to ${host}; add the host to the credential or choose another one.`, {
        nodeId,
        field: "credentialId",
      }),
    );
  }
  const secret = new Set(credential.headers.map((h) => h.name.toLowerCase()));
  return ok([...plain.filter((h) => !secret.has(h.name.toLowerCase())), ...credential.headers]);
}

/** The parts of a secret worth hiding: the whole value, and each long word of it (the token after "Bearer"). */
function secretParts(credential: HttpCredentialSecret): string[] {
  const parts = credential.headers.flatMap((h) => [h.value, ...h.value.split(/\s+/).filter((w) => w.length >= 8)]);
  return [...new Set(parts.filter((p) => p.length > 0))].sort((a, b) => b.length - a.length);
}

/** Issues with any secret value replaced, since a message may quote a response that echoes the request. */
export function withoutSecrets<T>(result: Result<T>, credential: HttpCredentialSecret | undefined): Result<T> {
  if (result.ok || !credential) return result;
  const parts = secretParts(credential);
  const hide = (text: string) => parts.reduce((t, p) => t.split(p).join("[secret]"), text);
  return fail(...result.issues.map((i): Issue => ({ ...i, message: hide(i.message) })));
}
