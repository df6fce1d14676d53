import { PARAMETER_TYPES, type Issue, type ParameterType, type PipelineParameter } from "@sluice/model";
import { Button } from "../components/button.tsx";
import { blankValue, ParameterValueInput } from "./parameter-value-input.tsx";
import { panelInputClass as inputClass } from "../components/input-class.ts";

/** A name not yet taken: param_1, param_2, … */
function freshName(taken: readonly PipelineParameter[]): string {
  for (let i = 1; ; i++) if (!taken.some((p) => p.name === `param_${i}`)) return `param_${i}`;
}

/**
 * The pipeline's parameters: named, typed values with defaults that expressions read with param('name')
 * and that each run (manual, API, schedule) may set. Edits are graph edits: saved with the pipeline, undoable.
 */
export function ParametersPanel({
  parameters,
  onChange,
  problems,
  readOnly,
}: {
  parameters: readonly PipelineParameter[];
  onChange: (p: PipelineParameter[]) => void;
  /** The graph's problems; those under `parameters.<i>` show beside that parameter. */
  problems: readonly Issue[];
  readOnly: boolean;
}) {
  const set = (i: number, patch: Partial<PipelineParameter>) => onChange(parameters.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const problemsOf = (i: number) => problems.filter((p) => p.field === `parameters.${i}` || p.field?.startsWith(`parameters.${i}.`));
  return (
    <div className="space-y-3 p-3">
      <p className="text-xs text-slate-600">
        Values a run can set, each with a default that previews use. Read one in an expression (derive, filter, check) with{" "}
        <code className="rounded bg-slate-100 px-1">param('name')</code>.
      </p>
      {parameters.length === 0 && <p className="text-sm text-slate-500">No parameters yet.</p>}
      <ul className="space-y-3" aria-label="Parameters">
        {parameters.map((p, i) => (
          <li key={i} className="space-y-1.5 rounded-md border border-slate-200 p-2" data-testid="parameter">
            <label className="block text-xs font-medium text-slate-600">
              Name
              <input value={p.name} disabled={readOnly} onChange={(e) => set(i, { name: e.target.value })} className={`${inputClass} font-mono`} />
            </label>
            <label className="block text-xs font-medium text-slate-600">
              Type
              <select
                value={p.type}
                disabled={readOnly}
                onChange={(e) => {
                  const type = e.target.value as ParameterType;
                  set(i, { type, default: blankValue(type) });
                }}
                className={inputClass}
              >
                {PARAMETER_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
            <div className="text-xs font-medium text-slate-600">
              Default
              <ParameterValueInput type={p.type} label={`Default of ${p.name}`} value={p.default} onChange={(v) => set(i, { default: v })} invalid={problemsOf(i).length > 0} />
            </div>
            <label className="block text-xs font-medium text-slate-600">
              Description
              <input value={p.description ?? ""} disabled={readOnly} onChange={(e) => set(i, { description: e.target.value === "" ? undefined : e.target.value })} className={inputClass} />
            </label>
            {problemsOf(i).map((x, k) => (
              <p key={k} role="alert" className="text-xs text-red-700">
                {x.message}
              </p>
            ))}
            {!readOnly && (
              <button type="button" className="text-xs text-red-700 hover:underline" onClick={() => onChange(parameters.filter((_, j) => j !== i))}>
                Remove {p.name || "parameter"}
              </button>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <Button onClick={() => onChange([...parameters, { name: freshName(parameters), type: "string", default: "" }])} disabled={parameters.length >= 50}>
          Add parameter
        </Button>
      )}
    </div>
  );
}
