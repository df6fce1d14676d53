import { randomBytes } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./testing/test-app.ts";
import { freePort, startSluiceProcess, type SluiceProcess } from "./testing/sluice-process.ts";

let t: TestApp;
const secretKey = randomBytes(32);
const held = net.createServer();
let server: SluiceProcess | undefined;

beforeAll(async () => {
  t = await createTestApp({ startWorker: false, secretKey });
}, 60_000);
afterAll(async () => {
  server?.child.kill("SIGKILL");
  await server?.exited;
  await new Promise((resolve) => held.close(resolve));
  await t?.close();
});

it("says the port is in use and how to choose another, never that it is ready, and exits with 1", async () => {
  const port = await freePort();
  await new Promise<void>((resolve) => held.listen(port, "127.0.0.1", resolve));

  server = startSluiceProcess(t, secretKey, "main.ts", { PORT: String(port), HOST: "127.0.0.1", RUN_WORKER: "false" });
  const code = await server.exited;

  const output = server.output();
  expect(output).toContain(`port ${port} is in use; set PORT to another port`);
  expect(output).not.toMatch(/ready/i);
  expect(output).not.toMatch(/SIGINT|received/);
  expect(code, output).toBe(1);
}, 90_000);
