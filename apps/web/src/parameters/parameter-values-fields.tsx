import type { ParameterValue, ParameterValues, PipelineParameter } from "@sluice/model";
import { ParameterValueInput } from "./parameter-value-input.tsx";

/**
 * A value for each declared parameter, for a run or a schedule. Untouched parameters are left out of
 * `values`, so they follow the pipeline's default even if it changes later; "use default" puts one back.
 */
export function ParameterValuesFields({ parameters, values, onChange }: { parameters: readonly PipelineParameter[]; values: ParameterValues; onChange: (v: ParameterValues) => void }) {
  const set = (name: string, v: ParameterValue | undefined) => {
    const next = { ...values };
    if (v === undefined) delete next[name];
    else next[name] = v;
    onChange(next);
  };
  return (
    <div className="space-y-2">
      {parameters.map((p) => {
        const given = Object.hasOwn(values, p.name);
        return (
          <div key={p.name} className="text-sm">
            <div className="flex items-baseline justify-between gap-2">
              <span className="font-mono text-xs font-medium text-slate-700">{p.name}</span>
              <span className="text-xs text-slate-500">
                {p.type}
                {given ? (
                  <button type="button" className="ml-2 text-cyan-800 hover:underline" onClick={() => set(p.name, undefined)}>
                    use default
                  </button>
                ) : (
                  " · default"
                )}
              </span>
            </div>
            <ParameterValueInput type={p.type} label={`Value of ${p.name}`} value={given ? values[p.name] : p.default} onChange={(v) => set(p.name, v)} />
            {p.description && <p className="text-xs text-slate-500">{p.description}</p>}
          </div>
        );
      })}
    </div>
  );
}
