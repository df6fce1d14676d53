import { z } from "zod";
import type { SmtpSettings } from "./invitation-mailer.ts";

/** INVITATION_DAYS, SMTP_URL (or SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS) and SMTP_FROM (see docs/security.md). */
export interface InvitationSettings {
  /** How long an invitation link works. */
  days: number;
  /** Where invitation mails go out; undefined: links are only copied by hand. */
  smtp: SmtpSettings | undefined;
}

const blankAsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const envSchema = z.object({
  INVITATION_DAYS: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(365).default(7)),
  SMTP_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine((v) => URL.canParse(v) && /^smtps?:$/.test(new URL(v).protocol) && new URL(v).hostname !== "", "an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587")
      .optional(),
  ),
  /** The server in parts, for setups that keep the password in a variable of its own; instead of SMTP_URL. */
  SMTP_HOST: z.preprocess(blankAsUnset, z.string().trim().regex(/^[A-Za-z0-9.:[\]-]+$/, "a host name or IP address, e.g. mail.example.com").optional()),
  /** 465: TLS from the start; any other port: STARTTLS when the server offers it. */
  SMTP_PORT: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(65535).default(587)),
  SMTP_USER: z.preprocess(blankAsUnset, z.string().optional()),
  SMTP_PASS: z.preprocess(blankAsUnset, z.string().optional()),
  /** e.g. `Sluice <sluice@example.com>`. */
  SMTP_FROM: z.preprocess(blankAsUnset, z.string().trim().min(3).max(320).regex(/^[^\r\n]+$/, "one line, e.g. Sluice <sluice@example.com>").optional()),
});

/**
 * The invitation settings. Throws "Invalid environment: …" naming each problem; SMTP_URL and SMTP_FROM come
 * together, since a mail needs both a server and a sender.
 */
export function readInvitationSettings(env: NodeJS.ProcessEnv): InvitationSettings {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  const url = parsed.success ? (parsed.data.SMTP_URL ?? urlFromParts(parsed.data)) : undefined;
  if (parsed.success && parsed.data.SMTP_URL && parsed.data.SMTP_HOST) problems.push("SMTP_HOST: set either SMTP_URL or SMTP_HOST (with SMTP_PORT, SMTP_USER, SMTP_PASS), not both");
  if (parsed.success && (parsed.data.SMTP_USER === undefined) !== (parsed.data.SMTP_PASS === undefined)) problems.push("SMTP_PASS: SMTP_USER and SMTP_PASS come together");
  if (parsed.success && (url === undefined) !== (parsed.data.SMTP_FROM === undefined)) {
    problems.push(url ? "SMTP_FROM: set it too, the sender of invitation mails, e.g. Sluice <sluice@example.com>" : "SMTP_URL: set it too, the mail server, e.g. smtp://user:password@mail.example.com:587");
  }
  if (!parsed.success || problems.length) throw new Error(`Invalid environment: ${problems.join("; ")}`);
  const e = parsed.data;
  return { days: e.INVITATION_DAYS, smtp: url && e.SMTP_FROM ? { url, from: e.SMTP_FROM } : undefined };
}

/** SMTP_HOST and its companions as the smtp:// (or, on port 465, smtps://) URL the mailers read; the credentials URL-encoded. */
function urlFromParts(e: { SMTP_HOST?: string | undefined; SMTP_PORT: number; SMTP_USER?: string | undefined; SMTP_PASS?: string | undefined }): string | undefined {
  if (!e.SMTP_HOST) return undefined;
  const host = e.SMTP_HOST.includes(":") && !e.SMTP_HOST.startsWith("[") ? `[${e.SMTP_HOST}]` : e.SMTP_HOST;
  const auth = e.SMTP_USER !== undefined && e.SMTP_PASS !== undefined ? `${encodeURIComponent(e.SMTP_USER)}:${encodeURIComponent(e.SMTP_PASS)}@` : "";
  return `${e.SMTP_PORT === 465 ? "smtps" : "smtp"}://${auth}${host}:${e.SMTP_PORT}`;
}
