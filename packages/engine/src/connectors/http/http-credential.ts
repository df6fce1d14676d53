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
 * The URL and headers of one request: the node's plain headers, then the credential's secret ones (which win over a
 * plain header of the same name), and the credential's secret query parameters set on the URL (replacing any of the
 * same name, e.g. in a next link the API sent). A credential goes only to its hosts: never to a host that a
 * response's next link or a later page names, and a credential stored without hosts goes nowhere.
 */
export function prepareRequest(plain: readonly Header[], credential: HttpCredentialSecret | undefined, url: string, nodeId: string): Result<{ url: string; headers: Header[] }> {
  if (!credential) return ok({ url, headers: [...plain] });
  const at = { nodeId, field: "credentialId" };
  if (credential.hosts.length === 0) {
    return fail(error("CREDENTIAL_HOSTS_REQUIRED", `The HTTP credential "${credential.name}" names no hosts, so it is sent nowhere; add the hosts it is for (Connections page) and enter its secrets again.`, at));
  }
  const target = new URL(url);
  const host = target.hostname.toLowerCase();
  if (!credential.hosts.includes(host)) {
    return fail(error("CREDENTIAL_HOST_NOT_ALLOWED", `The HTTP credential "${credential.name}" may only be sent to ${credential.hosts.join(", ")}, not to ${host}; add the host to the credential or choose another one.`, at));
  }
  for (const p of credential.queryParams) target.searchParams.set(p.name, p.value);
  const secret = new Set(credential.headers.map((h) => h.name.toLowerCase()));
  return ok({ url: target.toString(), headers: [...plain.filter((h) => !secret.has(h.name.toLowerCase())), ...credential.headers] });
}

/**
 * The parts of a secret worth hiding: each whole value, as typed and as a URL carries it, and each long word of a
 * header value (the token after "Bearer").
 */
function secretParts(credential: HttpCredentialSecret): string[] {
  const headers = credential.headers.flatMap((h) => [h.value, ...h.value.split(/\s+/).filter((w) => w.length >= 8)]);
  const params = credential.queryParams.flatMap((p) => [p.value, new URLSearchParams([["", p.value]]).toString().slice(1), encodeURIComponent(p.value)]);
  return [...new Set([...headers, ...params].filter((p) => p.length > 0))].sort((a, b) => b.length - a.length);
}

/** Replaces every secret part in `text` with [secret]. */
const hideIn = (text: string, parts: readonly string[]) => parts.reduce((t, p) => (t.includes(p) ? t.split(p).join("[secret]") : t), text);

/** Issues with any secret value replaced, since a message may quote a response that echoes the request, or its URL. */
export function withoutSecrets<T>(result: Result<T>, credential: HttpCredentialSecret | undefined): Result<T> {
  if (result.ok || !credential) return result;
  const parts = secretParts(credential);
  return fail(...result.issues.map((i): Issue => ({ ...i, message: hideIn(i.message, parts) })));
}

/** Secret values shorter than this are not looked for in data (messages hide every length). */
export const MIN_HIDDEN_IN_DATA = 8;

/**
 * A response's JSON with every secret part replaced by [secret], in values and keys alike. APIs echo what they were
 * sent: a `self` or `next` link with the api_key the credential added, a `/me` or debug record with the token. Those
 * would otherwise become rows, which every member of the workspace reads (previews, run outputs, sinks), while the
 * credential's secrets are write-only for everyone.
 */
export function jsonWithoutSecrets(json: unknown, credential: HttpCredentialSecret | undefined): unknown {
  if (!credential) return json;
  // Shorter values (a tenant number, a version) would turn ordinary data into [secret] wherever it appears.
  const parts = secretParts(credential).filter((p) => p.length >= MIN_HIDDEN_IN_DATA);
  if (parts.length === 0) return json;
  if (typeof json === "string") return hideIn(json, parts);
  // In place (the caller parsed it just now) and without recursion: a response may nest as deep as it likes.
  const stack: unknown[] = [json];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (typeof item === "string") v[i] = hideIn(item, parts);
        else if (item !== null && typeof item === "object") stack.push(item);
      }
    } else if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const item = o[k];
        const key = hideIn(k, parts);
        if (key !== k) {
          delete o[k];
          o[key] = item;
        }
        if (typeof item === "string") o[key] = hideIn(item, parts);
        else if (item !== null && typeof item === "object") stack.push(item);
      }
    }
  }
  return json;
}
