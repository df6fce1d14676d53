import { useId } from "react";
import type { Column } from "@sluice/model";
import { Button } from "../../components/button.tsx";
import { joinPath, moveItem, removeItem, replaceItem } from "./config-path.ts";
import { ObjectFields } from "./field-editor.tsx";
import { AddButton, FieldProblems, inputClass, ListItem, type FormContext } from "./form-parts.tsx";
import { fieldOf, fieldsOf, type FieldSpec } from "./form-model.ts";
import { commonUnpaired, JOIN_KIND_HELP, newPair, suggestedJoinKey, type KeyPair } from "./join-keys.ts";
import { ColumnSelect } from "./pickers.tsx";

interface Props {
  config: Record<string, unknown>;
  spec: FieldSpec;
  left: Column[];
  right: Column[];
  ctx: FormContext;
  onChange: (config: Record<string, unknown>) => void;
}

/** join's settings: the kind, the key pairs (left column = right column), and the suffix for clashing names. */
export function JoinEditor({ config, spec, left, right, ctx, onChange }: Props) {
  const id = useId();
  const keys = (Array.isArray(config.keys) ? config.keys : []) as KeyPair[];
  const kindSpec = fieldOf(spec, "kind")?.spec;
  const kinds = kindSpec?.kind === "enum" ? kindSpec.options : Object.keys(JOIN_KIND_HELP);
  const kind = typeof config.kind === "string" ? config.kind : "inner";
  const setKeys = (next: KeyPair[]) => onChange({ ...config, keys: next });
  const common = commonUnpaired(left, right, keys);
  const suggested = suggestedJoinKey(left, right, keys);
  return (
    <div>
      <div className="mb-2">
        <label htmlFor={id} className="mb-0.5 block text-xs font-medium text-slate-600">
          Join kind
        </label>
        <select id={id} value={kind} aria-describedby={`${id}-help`} onChange={(e) => onChange({ ...config, kind: e.target.value })} className={inputClass}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <p id={`${id}-help`} className="mt-0.5 text-xs text-slate-500">
          Keeps {JOIN_KIND_HELP[kind] ?? "rows by its own rule"}.
        </p>
        <FieldProblems ctx={ctx} path="kind" />
      </div>
      <fieldset className="mb-2">
        <legend className="mb-1 text-xs font-semibold text-slate-700">Keys</legend>
        {keys.length === 0 && <p className="mb-1 text-xs text-slate-500">Rows match when every pair of key columns is equal.</p>}
        {keys.map((k, i) => (
          <ListItem key={i} name="Key" index={i} count={keys.length} onMove={(by) => setKeys(moveItem(keys, i, by))} onRemove={() => setKeys(removeItem(keys, i))} ctx={ctx} path={joinPath("keys", i)}>
            <KeyPairFields pair={k} left={left} right={right} ctx={ctx} path={`keys.${i}`} onChange={(pair) => setKeys(replaceItem(keys, i, pair))} />
          </ListItem>
        ))}
        <div className="flex flex-wrap gap-1">
          <AddButton what="key" onClick={() => setKeys([...keys, newPair(left, right, keys)])} />
          {suggested !== null ? (
            <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={() => setKeys([...keys, { left: suggested, right: suggested }])}>
              Join on {suggested}
            </Button>
          ) : common.length > 0 && (
            <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={() => setKeys([...keys, ...common.map((n) => ({ left: n, right: n }))])}>
              Match on {common.length === 1 ? common[0] : `${common.length} common columns`}
            </Button>
          )}
        </div>
        <FieldProblems ctx={ctx} path="keys" />
      </fieldset>
      <ObjectFields spec={fieldsOf(spec, (k) => k !== "kind" && k !== "keys")} value={config} onChange={onChange} path="" ctx={ctx} />
    </div>
  );
}

/** One pair, stacked: the panel is narrow, and each picker shows the column's type. */
function KeyPairFields({ pair, left, right, ctx, path, onChange }: { pair: KeyPair; left: Column[]; right: Column[]; ctx: FormContext; path: string; onChange: (p: KeyPair) => void }) {
  const id = useId();
  return (
    <div className="space-y-1">
      {(["left", "right"] as const).map((side) => (
        <div key={side}>
          <label htmlFor={`${id}-${side}`} className="mb-0.5 block text-xs font-medium text-slate-600">
            {side === "left" ? "Left key" : "Right key"}
          </label>
          <ColumnSelect
            id={`${id}-${side}`}
            label={side === "left" ? "Left key" : "Right key"}
            value={pair[side]}
            columns={side === "left" ? left : right}
            onChange={(v) => onChange({ ...pair, [side]: v })}
          />
          <FieldProblems ctx={ctx} path={`${path}.${side}`} />
        </div>
      ))}
    </div>
  );
}
