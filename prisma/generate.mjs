// Generates the Prisma Client after install. The Prisma CLI wants a native schema engine even for
// `generate`, which it never runs there but tries to download; pointing it at any existing file stops
// the download, so this works offline and on air-gapped machines.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = `${root}node_modules/prisma/build/index.js`;
if (!existsSync(cli)) {
  console.log("prisma CLI not installed (production install?); skipping client generation");
  process.exit(0);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const result = spawnSync(process.execPath, [cli, "generate", "--schema", "prisma/schema.prisma", "--no-hints"], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
