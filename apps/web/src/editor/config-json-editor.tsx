import { useEffect, useId, useState } from "react";

/**
 * The node's settings as JSON, for power users and for settings a form does not cover yet. A draft that is
 * not valid JSON stays local (with the parser's message) and is never applied half-way.
 */
export function ConfigJsonEditor({ config, onChange }: { config: Record<string, unknown>; onChange: (c: Record<string, unknown>) => void }) {
  const id = useId();
  const text = JSON.stringify(config, null, 2);
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<string | null>(null);
  const [focused, setFocused] = useState(false);
  // Undo, redo or a form edit changed the config: show it, unless the user is typing here.
  useEffect(() => {
    if (!focused) {
      setDraft(text);
      setError(null);
    }
  }, [text, focused]);
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">
        Settings as JSON
      </label>
      <textarea
        id={id}
        value={draft}
        spellCheck={false}
        rows={Math.min(18, Math.max(4, draft.split("\n").length))}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onChange={(e) => {
          setDraft(e.target.value);
          try {
            const parsed: unknown = JSON.parse(e.target.value);
            if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("Settings are a JSON object: { … }");
            setError(null);
            onChange(parsed as Record<string, unknown>);
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
        className={`w-full rounded-md border px-2 py-1 font-mono text-xs focus:ring-2 focus:ring-cyan-600/30 focus:outline-none ${error ? "border-red-500" : "border-slate-300"}`}
      />
      {error && (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700">
          Not applied: {error}
        </p>
      )}
    </div>
  );
}
