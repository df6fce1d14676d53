import { describe, expect, it } from "vitest";
import { readInvitationSettings } from "./invitation-settings.ts";
import { smtpOptions } from "./invitation-mailer.ts";

describe("invitation settings", () => {
  it("links work 7 days and nothing is mailed unless said", () => {
    expect(readInvitationSettings({})).toEqual({ days: 7, smtp: undefined });
    expect(readInvitationSettings({ INVITATION_DAYS: "2", SMTP_URL: " ", SMTP_FROM: "" })).toEqual({ days: 2, smtp: undefined });
  });

  it("SMTP_URL and SMTP_FROM come together", () => {
    const both = readInvitationSettings({ SMTP_URL: "smtp://u:p@mail.example.com:587", SMTP_FROM: "Sluice <sluice@example.com>" });
    expect(both.smtp).toEqual({ url: "smtp://u:p@mail.example.com:587", from: "Sluice <sluice@example.com>" });
    expect(() => readInvitationSettings({ SMTP_URL: "smtp://mail.example.com" })).toThrow(/SMTP_FROM: set it too/);
    expect(() => readInvitationSettings({ SMTP_FROM: "sluice@example.com" })).toThrow(/SMTP_URL: set it too/);
  });

  it("takes the server in parts (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS) instead of SMTP_URL", () => {
    const from = "Sluice <sluice@example.com>";
    const parts = readInvitationSettings({ SMTP_HOST: "mail.example.com", SMTP_USER: "sluice", SMTP_PASS: "p@ss word:/", SMTP_FROM: from });
    expect(parts.smtp).toEqual({ url: "smtp://sluice:p%40ss%20word%3A%2F@mail.example.com:587", from });
    expect(smtpOptions(parts.smtp!.url)).toMatchObject({ host: "mail.example.com", port: 587, secure: false, auth: { user: "sluice", pass: "p@ss word:/" } });
    expect(readInvitationSettings({ SMTP_HOST: "::1", SMTP_PORT: "465", SMTP_FROM: from }).smtp?.url).toBe("smtps://[::1]:465");
    expect(() => readInvitationSettings({ SMTP_HOST: "mail.example.com", SMTP_URL: "smtp://mail.example.com", SMTP_FROM: from })).toThrow(/either SMTP_URL or SMTP_HOST/);
    expect(() => readInvitationSettings({ SMTP_HOST: "mail.example.com", SMTP_USER: "sluice", SMTP_FROM: from })).toThrow(/SMTP_USER and SMTP_PASS come together/);
    expect(() => readInvitationSettings({ SMTP_HOST: "mail.example.com" })).toThrow(/SMTP_FROM: set it too/);
  });

  it("refuses what is not an SMTP URL, without repeating its password", () => {
    for (const url of ["http://user:s3cret@mail.example.com", "mail.example.com:587", "smtp://"]) {
      let message = "";
      try {
        readInvitationSettings({ SMTP_URL: url, SMTP_FROM: "sluice@example.com" });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^Invalid environment: SMTP_URL: an smtp:\/\/ or smtps:\/\/ URL/);
      expect(message).not.toContain("s3cret");
    }
    expect(() => readInvitationSettings({ INVITATION_DAYS: "0" })).toThrow(/INVITATION_DAYS/);
  });

  it("reads host, port, TLS and the (URL-encoded) credentials from the URL", () => {
    expect(smtpOptions("smtp://sluice:p%40ss%20word@mail.example.com:2525")).toMatchObject({ host: "mail.example.com", port: 2525, secure: false, auth: { user: "sluice", pass: "p@ss word" } });
    expect(smtpOptions("smtps://mail.example.com")).toMatchObject({ port: 465, secure: true });
    expect(smtpOptions("smtp://[::1]")).toMatchObject({ host: "::1", port: 587 });
    expect(smtpOptions("smtp://mail.example.com")).not.toHaveProperty("auth");
  });
});
