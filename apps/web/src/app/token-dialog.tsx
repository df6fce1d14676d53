import { useState, useSyncExternalStore } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { apiErrorSchema } from "@sluice/model";
import { apiToken } from "../api/api-token.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { TextField } from "../components/text-field.tsx";

/**
 * Asks for an API token when the API refuses for want of one (a Sluice served on a network, or with
 * REQUIRE_API_TOKENS=true). A dialog over the page rather than a page of its own, so unsaved work stays put and the
 * user can repeat what was refused.
 */
export function TokenDialog() {
  const { refused } = useSyncExternalStore(apiToken.subscribe, apiToken.state);
  return (
    <Dialog title="This Sluice needs an API token" open={refused !== null} onClose={() => apiToken.dismiss()}>
      <TokenForm invalid={refused === "INVALID_TOKEN"} />
    </Dialog>
  );
}

function TokenForm({ invalid }: { invalid: boolean }) {
  const qc = useQueryClient();
  const [token, setToken] = useState("");
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const value = token.trim();
    if (!value) return setError("Paste a token, e.g. slc_…");
    setBusy(true);
    setError(undefined);
    try {
      // Health needs no token, but refuses a bad one: it checks the token without touching any data.
      const res = await fetch("/api/health", { headers: { accept: "application/json", authorization: `Bearer ${value}` } });
      if (!res.ok) {
        const body = apiErrorSchema.safeParse(await res.json().catch(() => undefined));
        return setError(body.success ? body.data.error.message : `The server answered ${res.status}.`);
      }
      apiToken.use(value, remember);
      await qc.invalidateQueries();
    } catch {
      setError("Cannot reach the Sluice server. Check that it is running, then try again.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p className="mb-3 text-sm text-slate-700">
        {invalid
          ? "The token this browser sent is not valid or has been revoked. Paste another one to go on."
          : "This server asks every browser and script for an API token, because it is reachable from the network (or REQUIRE_API_TOKENS is on). Paste one to go on; it is sent with each request from this browser."}
      </p>
      <TextField label="API token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} error={error} placeholder="slc_…" autoFocus />
      <label className="mb-3 flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
        Remember it on this browser (otherwise only in this tab)
      </label>
      <p className="mb-4 text-xs text-slate-500">
        Anyone with a token can create more under API tokens. The first one is made on the server's machine, with the server's settings:{" "}
        <code className="rounded bg-slate-100 px-1">npm run token:create</code>.
      </p>
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={() => apiToken.dismiss()}>
          Not now
        </Button>
        <Button type="submit" variant="primary" disabled={busy}>
          Use token
        </Button>
      </div>
    </form>
  );
}
