import { createHmac, randomBytes } from "node:crypto";
import nodemailer from "nodemailer";
import { postGuarded, type HttpGuardOptions } from "@sluice/engine";
import { smtpOptions, type SmtpSettings } from "../workspaces/invitation-mailer.ts";
import type { ChannelTarget } from "./notification-channel.repository.ts";
import { mailSubject, readableText, slackText, type NotificationBody } from "./notification-message.ts";

/** A new webhook signing secret: 32 random bytes, shown once when the channel is created. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString("base64url")}`;

/**
 * The signature header's value: HMAC-SHA256 with the channel's secret over `<timestamp>.<raw body>`, in hex.
 * Binding the timestamp into the signature lets a receiver refuse an old request replayed with a new time.
 */
export const webhookSignature = (secret: string, timestamp: number, rawBody: string) => `v1=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;

export type SendOutcome = { ok: true } | { ok: false; message: string };

export interface Senders {
  send(target: ChannelTarget, body: NotificationBody, signal: AbortSignal): Promise<SendOutcome>;
  emailAvailable: boolean;
}

/** Sends one notification once (the notifier retries): webhooks and Slack under the address policy, mail over SMTP. */
export function notificationSenders(o: { httpGuard: HttpGuardOptions; smtp: SmtpSettings | undefined; now?: () => number }): Senders {
  const transport = o.smtp ? nodemailer.createTransport(smtpOptions(o.smtp.url)) : null;
  const now = o.now ?? Date.now;
  const post = async (url: string, headers: Record<string, string>, raw: string, signal: AbortSignal): Promise<SendOutcome> => {
    const res = await postGuarded({ url, headers: { "content-type": "application/json", ...headers }, body: raw }, o.httpGuard, signal);
    return res.ok ? { ok: true } : { ok: false, message: res.issues.map((i) => i.message).join("; ") };
  };
  return {
    emailAvailable: transport !== null,
    async send(target, body, signal) {
      switch (target.kind) {
        case "webhook": {
          const raw = JSON.stringify(body);
          const timestamp = Math.floor(now() / 1000);
          return post(
            target.url,
            {
              "x-sluice-event": body.event,
              "x-sluice-delivery": body.id,
              "x-sluice-timestamp": String(timestamp),
              "x-sluice-signature": webhookSignature(target.secret, timestamp, raw),
            },
            raw,
            signal,
          );
        }
        case "slack":
          return post(target.url, {}, JSON.stringify({ text: slackText(body) }), signal);
        case "email": {
          if (!transport || !o.smtp) return { ok: false, message: "E-mail is not set up on this server: an administrator sets SMTP_URL and SMTP_FROM." };
          try {
            await transport.sendMail({ from: o.smtp.from, to: target.recipients, subject: mailSubject(body), text: readableText(body, { slackLinks: false }) });
            return { ok: true };
          } catch (e) {
            return { ok: false, message: `The mail server refused the mail: ${(e as Error).message}` };
          }
        }
        default: {
          const never: never = target;
          return never;
        }
      }
    },
  };
}
