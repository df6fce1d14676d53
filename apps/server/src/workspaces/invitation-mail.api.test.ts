import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { SMTPServer } from "smtp-server";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { tokenOf } from "../testing/sign-in.ts";

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** Quoted-printable as mail bodies use it: soft line breaks and =XX bytes (long link lines get both). */
const decodeQuotedPrintable = (s: string) =>
  Buffer.from(s.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");

/**
 * Invitations mailed through a real SMTP server (smtp-server, in this process, on a free loopback port) with a
 * user name and password, as SMTP_URL gives them. A server that refuses the mail loses no invitation.
 */
let t: TestApp;
let smtp: SMTPServer;
const received: Received[] = [];
const logins: string[] = [];
const PUBLIC_URL = "http://sluice.example.test:8080";

beforeAll(async () => {
  smtp = new SMTPServer({
    // Plain SMTP on loopback: this test is about the mail, not about TLS.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      logins.push(`${auth.username}:${auth.password}`);
      if (auth.username === "sluice" && auth.password === "mail p@ss") cb(null, { user: "sluice" });
      else cb(new Error("invalid credentials"));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith("refused")) cb(new Error("mailbox unavailable"));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  const port = (smtp.server.address() as AddressInfo).port;
  t = await createTestApp({
    network: { listenHost: "127.0.0.1", publicUrl: PUBLIC_URL },
    invitations: { smtp: { url: `smtp://sluice:${encodeURIComponent("mail p@ss")}@127.0.0.1:${port}`, from: "Sluice <sluice@sluice.test>" } },
  });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

describe("invitations by mail", () => {
  it("mails the link to the invited address; the link (at PUBLIC_URL) works", async () => {
    const res = await request(t.app).post("/api/invitations").send({ role: "editor", email: "new.editor@sluice.test" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.emailed).toBe(true);
    expect(res.body.link).toMatch(new RegExp(`^${PUBLIC_URL}/invite#[A-Za-z0-9_-]{43}$`));
    expect(logins).toContain("sluice:mail p@ss");

    const mail = received.find((m) => m.to.includes("new.editor@sluice.test"))!;
    expect(mail.from).toBe("sluice@sluice.test");
    const text = decodeQuotedPrintable(mail.raw);
    expect(text).toContain(res.body.link);
    expect(text).toMatch(/^Subject: .*Join.*Default.*Sluice/m);
    expect(text).toContain('invites you to the Sluice workspace "Default" as editor.');

    const link = text.match(/http:\/\/sluice\.example\.test:8080\/invite#[A-Za-z0-9_-]+/)![0];
    const accepted = await request(t.bareApp)
      .post("/api/invitations/accept")
      .send({ token: tokenOf(link), email: "new.editor@sluice.test", name: "New Editor", password: "a long new password" });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.workspace.role).toBe("editor");
  });

  it("without an email nothing is mailed", async () => {
    const before = received.length;
    const res = await request(t.app).post("/api/invitations").send({ role: "viewer" });
    expect([res.status, res.body.emailed]).toEqual([201, false]);
    expect(received.length).toBe(before);
  });

  it("a refused mail loses no invitation: emailed false, the link in the answer, the failure logged without the token", async () => {
    const res = await request(t.app).post("/api/invitations").send({ role: "runner", email: "refused@sluice.test" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.emailed).toBe(false);
    const token = tokenOf(res.body.link);
    expect((await request(t.bareApp).post("/api/invitations/inspect").send({ token })).body.role).toBe("runner");
    const logged = t.logs.filter((l) => l.includes(res.body.id));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/mailing invitation .* to refused@sluice.test failed: .*mailbox unavailable/);
    expect(t.logs.join("\n")).not.toContain(token);
  });
});
