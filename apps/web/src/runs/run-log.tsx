import type { RunLogLine } from "@sluice/model";

const levelClass: Record<RunLogLine["level"], string> = {
  debug: "text-slate-500",
  info: "text-slate-600",
  warn: "text-amber-700",
  error: "text-red-700 font-medium",
};

/** The run's log lines with their level and time; follows the run while it goes on. */
export function RunLog({ logs, live }: { logs: RunLogLine[]; live: boolean }) {
  if (logs.length === 0) return <p className="text-sm text-slate-500">{live ? "Waiting for the first log line…" : "This run wrote no log lines."}</p>;
  return (
    <ol className="max-h-80 overflow-y-auto rounded-lg border border-slate-200 bg-white p-2 font-mono text-xs" aria-label="Log" aria-live={live ? "polite" : "off"}>
      {logs.map((l) => (
        <li key={l.id} className="flex gap-2 py-0.5" data-level={l.level}>
          <span className="shrink-0 text-slate-500">{new Date(l.at).toLocaleTimeString()}</span>
          <span className={`w-12 shrink-0 uppercase ${levelClass[l.level]}`}>{l.level}</span>
          {l.nodeId && <span className="shrink-0 text-cyan-800">{l.nodeId}</span>}
          <span className={`min-w-0 break-words ${levelClass[l.level]}`}>{l.message}</span>
        </li>
      ))}
    </ol>
  );
}
