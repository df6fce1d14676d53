import type { ParameterValues } from "@sluice/model";

/**
 * `--param NAME=VALUE` flags as values. Everything arrives as text; the pipeline's declared types decide
 * what the text means ("42", "true", "2024-01-31"), so the same flags work locally and against a server.
 */
export function parseParamFlags(flags: readonly string[]): { ok: true; params: ParameterValues } | { ok: false; message: string } {
  const params: ParameterValues = {};
  for (const flag of flags) {
    const at = flag.indexOf("=");
    const name = at > 0 ? flag.slice(0, at).trim() : "";
    if (!name) return { ok: false, message: `--param ${flag}: write NAME=VALUE, e.g. --param since=2024-01-01.` };
    // As a key, `__proto__` would set the object's prototype and the value would vanish from the request unseen.
    if (name === "__proto__") return { ok: false, message: "--param __proto__: no pipeline parameter can have this name (it is reserved); check the name." };
    if (Object.hasOwn(params, name)) return { ok: false, message: `--param ${name} is given twice.` };
    params[name] = flag.slice(at + 1);
  }
  return { ok: true, params };
}
