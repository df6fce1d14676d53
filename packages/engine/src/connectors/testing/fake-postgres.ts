import net from "node:net";

/**
 * A TCP server that speaks just enough of the Postgres protocol to fail a login the way a real server with
 * password authentication does ("wrong-password"), or that accepts connections and never answers ("silent").
 * The local test server trusts every login, so a wrong password can only be seen this way.
 */
export async function startFakePostgres(mode: "wrong-password" | "silent"): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    if (mode === "silent") return;
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on("data", (data) => {
      buffer = Buffer.concat([buffer, data]);
      for (;;) {
        const offset = started ? 1 : 0;
        if (buffer.length < offset + 4) return;
        const length = buffer.readInt32BE(offset);
        if (buffer.length < offset + length) return;
        const message = buffer.subarray(0, offset + length);
        buffer = buffer.subarray(offset + length);
        if (!started && length === 8 && message.readInt32BE(4) === 80877103) {
          socket.write("N"); // SSLRequest: no TLS here
        } else if (!started) {
          started = true;
          const auth = Buffer.alloc(9);
          auth.write("R", 0);
          auth.writeInt32BE(8, 1);
          auth.writeInt32BE(3, 5); // AuthenticationCleartextPassword
          socket.write(auth);
        } else if (message[0] === "p".charCodeAt(0)) {
          const fields = Buffer.from('SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "sluice"\0\0');
          const header = Buffer.alloc(5);
          header.write("E", 0);
          header.writeInt32BE(fields.length + 4, 1);
          socket.end(Buffer.concat([header, fields]));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
