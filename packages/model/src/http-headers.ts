/**
 * Rules for HTTP header names, shared by the HTTP source's plain headers (packages/pipeline) and the secret
 * headers of HTTP credentials (connections), so both refuse the same names in the same words.
 */

/** RFC 9110's token: the characters a header name may have. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Set by the engine on every request; neither a node nor a credential may override them. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set(["host", "content-length", "transfer-encoding", "connection"]);

/**
 * Names that usually carry a secret: headers (Authorization, Cookie, X-API-Key, X-Auth-Token, …) and URL query
 * parameters (api_key, access_token, signature, …) alike; they belong in a credential. The one pattern for both.
 */
const SENSITIVE_NAME = /token|secret|key|auth|passw(or)?d|session|cookie|credential|signature/i;

export const isSensitiveName = (name: string): boolean => SENSITIVE_NAME.test(name);

/** A value may not split the request: no line breaks or NUL. */
export const headerValueProblem = (value: string): string | undefined => (/[\r\n\0]/.test(value) ? "Header values cannot contain line breaks." : undefined);

/** Why `name` cannot be a header name, or undefined when it can. */
export function headerNameProblem(name: string): string | undefined {
  if (!HEADER_NAME.test(name)) return `"${name}" is not a valid header name.`;
  if (RESERVED_HEADERS.has(name.toLowerCase())) return `The ${name} header is set automatically.`;
  return undefined;
}
