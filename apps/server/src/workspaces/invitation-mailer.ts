import nodemailer from "nodemailer";

/** SMTP_URL and SMTP_FROM: where invitation mails go out, and whom they come from. */
export interface SmtpSettings {
  /** smtp://user:password@host:587 (STARTTLS when the server offers it) or smtps://… (TLS from the start). */
  url: string;
  from: string;
}

export interface InvitationMail {
  to: string;
  link: string;
  workspace: string;
  role: string;
  invitedBy: string;
  expiresAt: string;
}

export interface InvitationMailer {
  send(mail: InvitationMail): Promise<void>;
}

/** The transport's options from SMTP_URL; bounded timeouts, so an unreachable server fails the mail, not the request. */
export function smtpOptions(url: string) {
  const u = new URL(url);
  if (u.protocol !== "smtp:" && u.protocol !== "smtps:") throw new Error("SMTP_URL must start with smtp:// or smtps://");
  const secure = u.protocol === "smtps:";
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}

const text = (m: InvitationMail) =>
  [
    `${m.invitedBy} invites you to the Sluice workspace "${m.workspace}" as ${m.role}.`,
    "",
    "Open this link to join (it works once):",
    m.link,
    "",
    `The link expires on ${m.expiresAt}. If you did not expect this invitation, ignore this mail.`,
  ].join("\n");

/** Sends invitation links by SMTP (nodemailer); plain text only, so the link is shown exactly as it is. */
export function smtpInvitationMailer(settings: SmtpSettings): InvitationMailer {
  const transport = nodemailer.createTransport(smtpOptions(settings.url));
  return {
    async send(m) {
      await transport.sendMail({ from: settings.from, to: m.to, subject: `Join "${m.workspace}" on Sluice`, text: text(m) });
    },
  };
}
