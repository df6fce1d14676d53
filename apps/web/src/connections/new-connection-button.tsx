import { useState } from "react";
import type { ConnectionKind } from "@sluice/model";
import { useCan } from "../auth/use-can.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { ConnectionForm } from "./connection-form.tsx";

/**
 * "New connection…" where a node needs one: the Connections page's form in a dialog, its kind fixed to the node's;
 * `onCreated` gets the new connection's id (the picker selects it). Someone whose role may not create connections
 * sees the button disabled and, under it, why.
 */
export function NewConnectionButton({ kind, onCreated }: { kind: ConnectionKind; onCreated: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const noun = kind === "http" ? "credential" : "connection";
  const allowed = useCan("connection.edit", `create ${noun}s`);
  const title = kind === "http" ? "New HTTP credential" : "New PostgreSQL connection";
  return (
    <div className="mt-1">
      <Button variant="ghost" className="px-1.5 py-0.5 text-xs" disabled={!allowed.allowed} onClick={() => setOpen(true)}>
        New {noun}…
      </Button>
      {allowed.reason && (
        <p className="text-xs text-slate-600" data-testid="new-connection-refused">
          {allowed.reason}
        </p>
      )}
      <Dialog title={title} open={open} onClose={() => setOpen(false)}>
        <ConnectionForm
          existing={null}
          kind={kind}
          onDone={(saved) => {
            setOpen(false);
            if (saved) onCreated(saved.id);
          }}
        />
      </Dialog>
    </div>
  );
}
