import type { Column } from "@sluice/model";
import { ConfigJsonEditor } from "../config-json-editor.tsx";
import { ConditionBuilder, type Group } from "./condition-builder.tsx";
import { DerivationsEditor } from "./expression-editor.tsx";
import { FieldEditor, type FormContext } from "./field-editor.tsx";
import { formOf } from "./form-model.ts";
import type { NodeInspectorProps } from "./inspector-props.ts";
import { RetypeFailures } from "./retype-failures.tsx";

const emptyGroup: Group = { kind: "group", op: "and", conditions: [] };

/** The selected node's settings: a form from its config schema, with dedicated editors where a form is not enough. */
export function NodeInspector({ node, definition, inputs, problems, graph, onConfigChange, onLabelChange }: NodeInspectorProps) {
  const ctx: FormContext = { inputs, problems };
  const config = node.config;
  const main: Column[] = inputs.in?.[0] ?? [];
  const set = (key: string, v: unknown) => onConfigChange({ ...config, [key]: v });

  let body;
  switch (definition.type) {
    case "filter":
      body = <ConditionBuilder value={(config.condition as Group | undefined) ?? emptyGroup} onChange={(g) => set("condition", g)} columns={main} problems={problems} />;
      break;
    case "derive":
      body = <DerivationsEditor value={(config.derivations as { column: string; expression: string }[] | undefined) ?? []} onChange={(d) => set("derivations", d)} columns={main} />;
      break;
    default:
      body = (
        <>
          {definition.type === "retype" && <RetypeFailures graph={graph} nodeId={node.id} />}
          <FieldEditor spec={formOf(definition)} value={config} onChange={(v) => onConfigChange(v as Record<string, unknown>)} path="" label="Settings" ctx={ctx} />
        </>
      );
  }

  return (
    <div className="space-y-3 p-3">
      <div>
        <h2 className="text-sm font-semibold">{definition.label}</h2>
        <p className="text-xs text-slate-500">{definition.description}</p>
      </div>
      <label className="block text-xs font-medium text-slate-600">
        Label
        <input
          value={node.label ?? ""}
          placeholder={definition.label}
          onChange={(e) => onLabelChange(e.target.value)}
          className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1 text-sm focus:ring-2 focus:ring-cyan-600/30 focus:outline-none"
        />
      </label>
      {problems.length > 0 && (
        <ul className="space-y-1 rounded-md bg-red-50 p-2 text-xs text-red-800" aria-label="Problems">
          {problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
      <section aria-label="Settings">{body}</section>
      <details className="text-xs">
        <summary className="cursor-pointer text-slate-600">Advanced: settings as JSON</summary>
        <div className="mt-2">
          <ConfigJsonEditor config={config} onChange={onConfigChange} />
        </div>
      </details>
    </div>
  );
}
