import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type Me,
  authConfigSchema,
  meSchema,
  workspaceSchema,
  type ChangePasswordRequest,
  type CreateWorkspaceRequest,
  type SetupRequest,
  type SignInRequest,
} from "@sluice/model";
import { api, apiNoContent } from "./client.ts";
import { workspaceSelection } from "./workspace-selection.ts";

export const meKey = ["me"] as const;

/**
 * Who is signed in, in which workspace, allowed what: the session store of the app. The workspace the server
 * resolved becomes the one every later request names.
 */
export const useMe = () =>
  useQuery({
    queryKey: meKey,
    queryFn: async () => {
      const me = await api("GET", "/me", meSchema);
      if (me.workspace && me.workspace.id !== workspaceSelection.id()) workspaceSelection.choose(me.workspace.id);
      return me;
    },
    staleTime: 60_000,
  });

export const useAuthConfig = () => useQuery({ queryKey: ["auth-config"], queryFn: () => api("GET", "/auth/config", authConfigSchema) });

/**
 * After anything that changes who is signed in, nothing cached may outlive it: it belonged to someone else, or to
 * nobody. Clearing (not refetching) also stops the old pages' queries.
 */
function useSessionChange<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.clear() });
}

/**
 * Someone just signed in: keep the workspace this browser remembers if it is one of theirs (the same person coming
 * back), else take the one the server chose (another person on this browser).
 */
export function adoptWorkspaceOf(me: Me): Me {
  const remembered = workspaceSelection.id();
  if (!remembered || !me.workspaces.some((w) => w.id === remembered)) workspaceSelection.choose(me.workspace?.id ?? null);
  return me;
}

export const useSignIn = () => useSessionChange(async (body: SignInRequest) => adoptWorkspaceOf(await api("POST", "/auth/sign-in", meSchema, { body })));
export const useSetup = () => useSessionChange(async (body: SetupRequest) => adoptWorkspaceOf(await api("POST", "/auth/setup", meSchema, { body })));
export const useSignOut = () => useSessionChange(() => apiNoContent("POST", "/auth/sign-out", { body: {} }));
export const useSignOutEverywhere = () => useSessionChange(() => apiNoContent("POST", "/auth/sign-out-everywhere", { body: {} }));

export const useChangePassword = () => useMutation({ mutationFn: (body: ChangePasswordRequest) => apiNoContent("POST", "/auth/password", { body }) });

export const useCreateWorkspace = () => useMutation({ mutationFn: (body: CreateWorkspaceRequest) => api("POST", "/workspaces", workspaceSchema, { body }) });
