import { useEffect, useId, useMemo, useState, type KeyboardEvent } from "react";
import { getNodeDefinition } from "@sluice/pipeline";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { panelInputClass } from "../components/input-class.ts";
import { connectionChoices, filterChoices, type ConnectionChoice } from "./connection-targets.ts";
import { useEditor, useEditorStore } from "./editor-context.ts";
import { typingIn } from "./keyboard-shortcuts.ts";

/** The key that opens the list (without Ctrl, Alt or Meta, outside a text field), as the button's title says. */
export const CONNECT_KEY = "c";

/**
 * Connecting without a mouse: with one node selected, "Connect…" (or the C key) lists every connection it could make
 * (to the inputs of other nodes, or into its own inputs), as the canvas would accept them; type to narrow, arrows to
 * choose, Enter to connect. The edge is one undo step, as a drawn one.
 */
export function ConnectTo({ nodeId, disabled, onConnected }: { nodeId: string; disabled: boolean; onConnected(message: string): void }) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (disabled) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key.toLowerCase() !== CONNECT_KEY || e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target)) return;
      e.preventDefault();
      setOpen(true);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [disabled]);
  return (
    <div className="border-b border-slate-200 px-3 py-2">
      <Button className="w-full justify-center" onClick={() => setOpen(true)} disabled={disabled} title="Connect this node to another one from a list (C)">
        Connect to… <kbd className="rounded border border-slate-300 px-1 text-xs text-slate-600">C</kbd>
      </Button>
      <ConnectDialog nodeId={nodeId} open={open} onClose={() => setOpen(false)} onConnected={onConnected} />
    </div>
  );
}

function ConnectDialog({ nodeId, open, onClose, onConnected }: { nodeId: string; open: boolean; onClose(): void; onConnected(message: string): void }) {
  const node = useEditor((s) => s.graph.nodes.find((n) => n.id === nodeId));
  const name = node ? (node.label ?? getNodeDefinition(node.type)?.label ?? node.type) : nodeId;
  return (
    <Dialog title={`Connect ${name}`} open={open} onClose={onClose}>
      <ChoiceList nodeId={nodeId} name={name} onClose={onClose} onConnected={onConnected} />
    </Dialog>
  );
}

/** Mounted while the dialog is open, so the search and the active choice start fresh each time. */
function ChoiceList({ nodeId, name, onClose, onConnected }: { nodeId: string; name: string; onClose(): void; onConnected(message: string): void }) {
  const store = useEditorStore();
  const graph = useEditor((s) => s.graph);
  const all = useMemo(() => connectionChoices(graph, nodeId), [graph, nodeId]);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const [refused, setRefused] = useState<string | null>(null);
  const shown = filterChoices(all, query);
  const at = Math.min(active, Math.max(shown.length - 1, 0));
  const listId = useId();
  const optionId = (i: number) => `${listId}-${i}`;

  const choose = (c: ConnectionChoice | undefined) => {
    if (!c) return;
    const r = store.getState().connect(c.edge);
    if (!r.ok) return setRefused(r.message);
    onClose();
    onConnected(c.direction === "to" ? `Connected ${name} to ${c.text}.` : `Connected ${c.text} to ${name}.`);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const move = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: shown.length - 1 }[e.key];
    if (move !== undefined) {
      e.preventDefault();
      const next = Math.min(Math.max(move, 0), Math.max(shown.length - 1, 0));
      setActive(next);
      document.getElementById(optionId(next))?.scrollIntoView({ block: "nearest" });
    } else if (e.key === "Enter") {
      e.preventDefault();
      choose(shown[at]);
    }
  };

  if (all.length === 0) {
    return (
      <div>
        <p className="mb-4 text-sm text-slate-700">{name} has no connection left to make: every other node is connected to it, would make a loop, or has no free input.</p>
        <div className="flex justify-end">
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
    );
  }
  return (
    <div>
      <label htmlFor={`${listId}-search`} className="mb-1 block text-sm font-medium text-slate-800">
        Find a node
      </label>
      <input
        id={`${listId}-search`}
        role="combobox"
        aria-expanded={shown.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown.length > 0 ? optionId(at) : undefined}
        // The dialog opens to search at once.
        autoFocus
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        className={panelInputClass}
        placeholder="Type a name, then ↑ ↓ and Enter"
      />
      {shown.length > 0 ? (
        <ul id={listId} role="listbox" aria-label={`Connections for ${name}`} className="mt-2 max-h-72 overflow-y-auto rounded-md border border-slate-200">
          {shown.map((c, i) => (
            <li
              key={`${c.edge.source}:${c.edge.sourcePort}>${c.edge.target}:${c.edge.targetPort}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === at}
              // The search box keeps the focus; a click chooses.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(c)}
              className={`cursor-pointer px-3 py-1.5 text-sm ${i === at ? "bg-cyan-700 text-white" : "text-slate-800 hover:bg-slate-100"}`}
            >
              <span className={`mr-1 text-xs ${i === at ? "text-cyan-50" : "text-slate-600"}`}>{c.direction}</span> {c.text}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 px-3 py-1.5 text-sm text-slate-600">Nothing matches “{query}”.</p>
      )}
      {refused && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {refused}
        </p>
      )}
      <p className="mt-2 text-xs text-slate-600">“to” sends {name}’s rows onward; “from” feeds {name}. Enter connects; Escape closes.</p>
    </div>
  );
}
