import { useId, useMemo, useState } from "react";
import type { Column } from "@sluice/model";
import { resolveParameters } from "@sluice/pipeline";
import { ConfigJsonEditor } from "../config-json-editor.tsx";
import { AggregationList } from "./aggregation-list.tsx";
import type { Aggregation } from "./aggregation.ts";
import { ConditionBuilder } from "./condition-builder.tsx";
import { emptyGroup, type Group } from "./condition-model.ts";
import { DerivationsEditor } from "./expression-editor.tsx";
import { FieldEditor, ObjectFields } from "./field-editor.tsx";
import { inputClass, type FormContext } from "./form-parts.tsx";
import { fieldOf, fieldsOf, formOf, type FieldSpec } from "./form-model.ts";
import { aggregateFields, drawnPaths, editorFor } from "./inspector-layout.ts";
import type { NodeInspectorProps } from "./inspector-props.ts";
import { InlineEditor } from "./inline-editor.tsx";
import { JoinEditor } from "./join-editor.tsx";
import { placeProblems } from "./problem-placement.ts";
import { RetypeEditor } from "./retype-editor.tsx";
import { CleanSuggestionNote } from "./clean-suggestion-note.tsx";

type Config = Record<string, unknown>;
const list = <T,>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** The enum options of a field of the node's schema (e.g. group's aggregation functions), so the UI never lists its own. */
function optionsOf(spec: FieldSpec, listKey: string, key: string): string[] {
  const items = fieldOf(spec, listKey)?.spec;
  const field = items?.kind === "list" ? fieldOf(items.item, key)?.spec : undefined;
  return field?.kind === "enum" ? field.options : [];
}

/** The selected node's settings: a form from its config schema, with dedicated editors where a form is not enough. */
export function NodeInspector({ node, definition, inputs, problems, graph, onConfigChange, onLabelChange }: NodeInspectorProps) {
  const labelId = useId();
  const [showJson, setShowJson] = useState(false);
  const config = node.config;
  const spec = formOf(definition);
  const placed = useMemo(() => placeProblems(problems, drawnPaths(definition.type, spec, config)), [problems, definition.type, spec, config]);
  const params = useMemo(() => resolveParameters(graph.parameters).values, [graph.parameters]);
  const ctx: FormContext = { inputs, placed, params };
  const main: Column[] = inputs.in?.[0] ?? [];
  const set = (key: string, v: unknown) => onConfigChange({ ...config, [key]: v });
  const rest = (skip: string[]) => <ObjectFields spec={fieldsOf(spec, (k) => !skip.includes(k))} value={config} onChange={onConfigChange} path="" ctx={ctx} />;
  const aggregations = (
    <AggregationList value={list<Aggregation>(config.aggregations)} onChange={(v) => set("aggregations", v)} functions={optionsOf(spec, "aggregations", "fn")} columns={main} ctx={ctx} />
  );

  let body;
  const kind = editorFor(definition.type);
  switch (kind) {
    case "inline":
      body = <InlineEditor config={config} ctx={ctx} onChange={onConfigChange} />;
      break;
    case "filter":
      body = <ConditionBuilder value={(config.condition as Group | undefined) ?? emptyGroup} onChange={(g) => set("condition", g)} columns={main} placed={placed} params={params} />;
      break;
    case "derive":
      body = <DerivationsEditor value={list(config.derivations)} onChange={(d) => set("derivations", d)} columns={main} ctx={ctx} />;
      break;
    case "retype":
      body = <RetypeEditor config={config} spec={spec} columns={main} ctx={ctx} graph={graph} nodeId={node.id} onChange={onConfigChange} />;
      break;
    case "join":
      body = <JoinEditor config={config} spec={spec} left={inputs.left?.[0] ?? []} right={inputs.right?.[0] ?? []} ctx={ctx} onChange={onConfigChange} />;
      break;
    case "group":
      body = (
        <>
          {rest(["aggregations"])}
          {aggregations}
        </>
      );
      break;
    case "aggregate":
      body = (
        <>
          <ObjectFields spec={fieldsOf(spec, (k) => k === "mode")} value={config} onChange={onConfigChange} path="" ctx={ctx} />
          {config.mode === "window" ? <ObjectFields spec={aggregateFields(spec, "window")} value={config} onChange={onConfigChange} path="" ctx={ctx} /> : aggregations}
        </>
      );
      break;
    case "form":
      body = (
        <>
          {definition.type === "clean" && <CleanSuggestionNote graph={graph} nodeId={node.id} columns={main} config={config} onChange={onConfigChange} />}
          <FieldEditor spec={spec} value={config} onChange={(v) => onConfigChange(v as Config)} path="" label="Settings" ctx={ctx} />
        </>
      );
      break;
    default: {
      const never: never = kind;
      body = never;
    }
  }

  return (
    <div className="space-y-3 p-3">
      <div>
        <h2 className="text-sm font-semibold">{definition.label}</h2>
        <p className="text-xs text-slate-500">{definition.description}</p>
      </div>
      <div>
        <label htmlFor={labelId} className="mb-0.5 block text-xs font-medium text-slate-600">
          Label
        </label>
        <input id={labelId} value={node.label ?? ""} placeholder={definition.label} onChange={(e) => onLabelChange(e.target.value)} className={inputClass} />
      </div>
      {placed.rest.length > 0 && (
        <ul className="space-y-1 rounded-md bg-red-50 p-2 text-xs" aria-label="Problems">
          {placed.rest.map((p, i) => (
            <li key={i} className={p.severity === "warning" ? "text-amber-800" : "text-red-800"}>
              {p.message}
            </li>
          ))}
        </ul>
      )}
      <section aria-label="Settings">{body}</section>
      <details className="text-xs" open={showJson} onToggle={(e) => setShowJson(e.currentTarget.open)}>
        <summary className="cursor-pointer text-slate-600">Advanced: settings as JSON</summary>
        {/* Mounted only while open: a large inline table's JSON is costly to keep in a hidden textarea. */}
        {showJson && (
          <div className="mt-2">
            <ConfigJsonEditor config={config} onChange={onConfigChange} />
          </div>
        )}
      </details>
    </div>
  );
}
