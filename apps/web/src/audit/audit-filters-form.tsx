import { useId, useState } from "react";
import { Button } from "../components/button.tsx";
import { TextField } from "../components/text-field.tsx";
import { auditActions, auditResourceTypes } from "./audit-vocabulary.ts";
import { noAuditFilters, type AuditFilters } from "./audit-filters.ts";

/** The audit page's filters, applied together on submit (not per keystroke: each change is a query of the log). */
export function AuditFiltersForm({ people, onApply }: { people: string[]; onApply: (f: AuditFilters) => void }) {
  const [f, setF] = useState<AuditFilters>(noAuditFilters);
  const ids = { people: useId(), actions: useId(), types: useId() };
  const field = (key: keyof AuditFilters) => ({ value: f[key], onChange: (e: { target: { value: string } }) => setF({ ...f, [key]: e.target.value }) });
  return (
    <form
      aria-label="Filters"
      className="grid grid-cols-2 gap-x-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-3"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(f);
      }}
    >
      <TextField label="Who" list={ids.people} placeholder="email or token name" {...field("actor")} />
      <TextField label="Action" list={ids.actions} placeholder="e.g. pipeline.saved" {...field("action")} />
      <TextField label="Resource type" list={ids.types} placeholder="e.g. pipeline" {...field("resourceType")} />
      <TextField label="Resource id" {...field("resourceId")} />
      <TextField label="From" type="date" {...field("from")} />
      <TextField label="To" type="date" {...field("to")} />
      <datalist id={ids.people}>
        {people.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <datalist id={ids.actions}>
        {auditActions.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <datalist id={ids.types}>
        {auditResourceTypes.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <div className="col-span-full flex gap-2">
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
        <Button
          onClick={() => {
            setF(noAuditFilters);
            onApply(noAuditFilters);
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}
