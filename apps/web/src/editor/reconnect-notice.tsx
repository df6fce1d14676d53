import { Button } from "../components/button.tsx";
import { useEditor, useEditorStore } from "./editor-context.ts";

/** After a node was deleted from the middle of a chain: one click joins its neighbours again (undone with the delete). */
export function ReconnectNotice() {
  const store = useEditorStore();
  const offer = useEditor((s) => s.reconnectOffer);
  if (!offer) return null;
  return (
    <div role="status" aria-label="Reconnect" className="fixed bottom-4 left-1/2 z-50 flex -translate-x-1/2 items-center gap-2 rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white shadow-lg">
      Node deleted.
      <Button className="!py-0.5" onClick={() => store.getState().reconnect()}>
        {offer.label}
      </Button>
      <Button variant="ghost" className="!py-0.5 !text-white hover:!bg-slate-700" onClick={() => store.getState().dismissReconnect()} aria-label="Dismiss">
        ✕
      </Button>
    </div>
  );
}
