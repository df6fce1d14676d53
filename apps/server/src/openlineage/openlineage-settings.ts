import { z } from "zod";

/** OPENLINEAGE_* (see docs/lineage.md). Named as OpenLineage's own clients name them, so one set of variables serves both. */
export interface OpenLineageSettings {
  /** Where events are POSTed: OPENLINEAGE_URL joined with OPENLINEAGE_ENDPOINT, e.g. http://marquez:5000/api/v1/lineage. */
  endpoint: string;
  /** Sent as `Authorization: Bearer <key>`; undefined: no Authorization header. */
  apiKey: string | undefined;
  /** The namespace of every job (pipeline) Sluice reports. */
  namespace: string;
  /** How long one POST may take before it counts as failed and is retried. */
  timeoutMs: number;
}

const blankAsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const envSchema = z.object({
  OPENLINEAGE_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol) && new URL(v).hostname !== "", "an http:// or https:// URL, e.g. http://marquez:5000")
      .refine((v) => !URL.canParse(v) || (new URL(v).username === "" && new URL(v).password === ""), "no user or password in the URL; put a token in OPENLINEAGE_API_KEY")
      .optional(),
  ),
  /** The path under OPENLINEAGE_URL, as in OpenLineage's clients; an empty value posts to OPENLINEAGE_URL itself. */
  OPENLINEAGE_ENDPOINT: z
    .string()
    .trim()
    .regex(/^[^\s?#]*$/, "a path such as api/v1/lineage, without spaces, query or fragment")
    .default("api/v1/lineage"),
  OPENLINEAGE_API_KEY: z.preprocess(blankAsUnset, z.string().regex(/^[\x21-\x7e]+$/, "printable characters without spaces (it is sent in a header)").optional()),
  OPENLINEAGE_NAMESPACE: z.preprocess(blankAsUnset, z.string().trim().min(1).max(200).regex(/^[^\r\n]+$/, "one line").default("sluice")),
  OPENLINEAGE_TIMEOUT_SECONDS: z.preprocess(blankAsUnset, z.coerce.number().positive().max(300).default(5)),
});

/** The URL a path is posted to: the endpoint's path appended to the base's, so http://host/prefix keeps its prefix. */
export function endpointUrl(base: string, endpoint: string): string {
  const url = new URL(base);
  const path = endpoint.replace(/^\/+/, "");
  if (path) url.pathname = `${url.pathname.replace(/\/+$/, "")}/${path}`;
  return url.toString();
}

/** The settings, or undefined when OPENLINEAGE_URL is unset (nothing is sent). Problems are returned, not thrown, as SSO's are. */
export function readOpenLineageSettings(env: NodeJS.ProcessEnv): { settings: OpenLineageSettings | undefined; problems: string[] } {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) return { settings: undefined, problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  const e = parsed.data;
  if (e.OPENLINEAGE_URL === undefined) {
    const stray = e.OPENLINEAGE_API_KEY !== undefined ? ["OPENLINEAGE_URL: set it too, where events go (OPENLINEAGE_API_KEY is set)"] : [];
    return { settings: undefined, problems: stray };
  }
  return {
    settings: {
      endpoint: endpointUrl(e.OPENLINEAGE_URL, e.OPENLINEAGE_ENDPOINT),
      apiKey: e.OPENLINEAGE_API_KEY,
      namespace: e.OPENLINEAGE_NAMESPACE,
      timeoutMs: Math.round(e.OPENLINEAGE_TIMEOUT_SECONDS * 1000),
    },
    problems: [],
  };
}
