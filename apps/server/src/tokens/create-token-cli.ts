import { createTokenCommand } from "./create-token.ts";

process.exitCode = await createTokenCommand(process.argv.slice(2), process.env, { log: console.log, error: console.error }).catch((e: unknown) => {
  console.error(`could not create a token: ${(e as Error).message}`);
  return 1;
});
