import { useState } from "react";
import type { ParameterValues, PipelineParameter } from "@sluice/model";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { ParameterValuesFields } from "./parameter-values-fields.tsx";

/** Before a manual run of a pipeline with parameters: its values, defaults filled in. */
export function RunParametersDialog({
  open,
  parameters,
  starting,
  error,
  onClose,
  onRun,
}: {
  open: boolean;
  parameters: readonly PipelineParameter[];
  starting: boolean;
  /** Why the last start was refused (e.g. a value that does not fit its type). */
  error: string | null;
  onClose: () => void;
  onRun: (values: ParameterValues) => void;
}) {
  return (
    <Dialog title="Run with parameters" open={open} onClose={onClose}>
      <RunParametersForm parameters={parameters} starting={starting} error={error} onClose={onClose} onRun={onRun} />
    </Dialog>
  );
}

/** Mounted fresh each time the dialog opens, so values start from the defaults again. */
function RunParametersForm({ parameters, starting, error, onClose, onRun }: Omit<Parameters<typeof RunParametersDialog>[0], "open">) {
  const [values, setValues] = useState<ParameterValues>({});
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onRun(values);
      }}
      className="space-y-4"
    >
      <ParameterValuesFields parameters={parameters} values={values} onChange={setValues} />
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={starting}>
          Run
        </Button>
      </div>
    </form>
  );
}
