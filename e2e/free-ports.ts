import net from "node:net";

/** A port nobody listens on now, as the system hands them out. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Ports for the app and the OpenID Connect test provider, free when asked: a fixed default failed the whole browser run
 * at once ("is already used") when anything else on the machine held it, such as a server left over from another run.
 */
export async function freePorts(): Promise<{ app: number; oidc: number }> {
  const app = await freePort();
  let oidc = await freePort();
  while (oidc === app) oidc = await freePort();
  return { app, oidc };
}
