import type { ComponentProps } from "react";
import type { WorkspaceAction } from "@sluice/model";
import { Button } from "../components/button.tsx";
import { useCan } from "./use-can.ts";

type Props = ComponentProps<typeof Button> & { action: WorkspaceAction; what?: string };

/**
 * A Button for something the role may not allow: disabled, with the reason as its tooltip ("Editors and owners can
 * save pipelines; you are a viewer."), rather than hidden, so people learn what they could ask for. The server
 * refuses anyway.
 */
export function PermittedButton({ action, what, disabled, title, ...props }: Props) {
  const can = useCan(action, what);
  return <Button {...props} disabled={disabled || !can.allowed} title={can.reason ?? title} />;
}
