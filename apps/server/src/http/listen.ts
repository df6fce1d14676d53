import http, { type RequestListener, type Server } from "node:http";

export interface ListenProblem {
  code: "PORT_IN_USE" | "PORT_NOT_PERMITTED" | "HOST_NOT_AVAILABLE" | "LISTEN_FAILED";
  message: string;
}

export type ListenResult = { ok: true; server: Server } | ({ ok: false } & ListenProblem);

/**
 * Starts serving `handler` on host:port and resolves once the port is really listening or has been refused.
 * Not express's app.listen: since Express 5 its callback also runs when listening fails, with the error as
 * its argument, so a "ready" line written there appeared before EADDRINUSE.
 */
export function listen(handler: RequestListener, port: number, host: string): Promise<ListenResult> {
  const server = http.createServer(handler);
  return new Promise((resolve) => {
    const failed = (e: NodeJS.ErrnoException) => {
      server.off("listening", listening);
      resolve({ ok: false, ...listenProblem(e, port, host) });
    };
    const listening = () => {
      server.off("error", failed);
      resolve({ ok: true, server });
    };
    server.once("error", failed);
    server.once("listening", listening);
    server.listen(port, host);
  });
}

/** What a person can do about a refused listen, in words: the settings are PORT and HOST. */
function listenProblem(e: NodeJS.ErrnoException, port: number, host: string): ListenProblem {
  switch (e.code) {
    case "EADDRINUSE":
      return { code: "PORT_IN_USE", message: `port ${port} is in use; set PORT to another port` };
    case "EACCES":
      return { code: "PORT_NOT_PERMITTED", message: `port ${port} needs privileges this process does not have (ports below 1024 usually do); set PORT to 1024 or above` };
    case "EADDRNOTAVAIL":
      return { code: "HOST_NOT_AVAILABLE", message: `${host} is not an address of this machine; set HOST to one of its addresses, or 0.0.0.0 for all` };
    default:
      return { code: "LISTEN_FAILED", message: `cannot listen on ${host}:${port}: ${e.message}` };
  }
}
