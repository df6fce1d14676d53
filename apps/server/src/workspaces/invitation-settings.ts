import { z } from "zod";
import type { SmtpSettings } from "./invitation-mailer.ts";

/** INVITATION_DAYS, SMTP_URL and SMTP_FROM (see docs/security.md). */
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
  if (parsed.success && (parsed.data.SMTP_URL === undefined) !== (parsed.data.SMTP_FROM === undefined)) {
    problems.push(parsed.data.SMTP_URL ? "SMTP_FROM: set it too, the sender of invitation mails, e.g. Sluice <sluice@example.com>" : "SMTP_URL: set it too, the mail server, e.g. smtp://user:password@mail.example.com:587");
  }
  if (!parsed.success || problems.length) throw new Error(`Invalid environment: ${problems.join("; ")}`);
  const e = parsed.data;
  return { days: e.INVITATION_DAYS, smtp: e.SMTP_URL && e.SMTP_FROM ? { url: e.SMTP_URL, from: e.SMTP_FROM } : undefined };
}
