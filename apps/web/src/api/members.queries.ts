import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  createdInvitationSchema,
  invitationInfoSchema,
  invitationListSchema,
  memberListSchema,
  memberSchema,
  meSchema,
  type AcceptInvitationRequest,
  type CreateInvitationRequest,
  type Role,
} from "@sluice/model";
import { api, apiNoContent } from "./client.ts";

const keys = { members: ["members"] as const, invitations: ["invitations"] as const };

export const useMembers = () => useQuery({ queryKey: keys.members, queryFn: () => api("GET", "/members", memberListSchema) });

/** Pending invitations; only owners may list them, so others do not ask. */
export const useInvitations = (enabled: boolean) =>
  useQuery({ queryKey: keys.invitations, queryFn: () => api("GET", "/invitations", invitationListSchema), enabled });

function useInvalidating<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    // A role change may be our own (an owner stepping down): what we may do is asked again too.
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: keys.members }), qc.invalidateQueries({ queryKey: keys.invitations }), qc.invalidateQueries({ queryKey: ["me"] })]),
  });
}

const memberPath = (userId: string) => `/members/${encodeURIComponent(userId)}`;

export const useChangeRole = () => useInvalidating(({ userId, role }: { userId: string; role: Role }) => api("PUT", memberPath(userId), memberSchema, { body: { role } }));
export const useRemoveMember = () => useInvalidating((userId: string) => apiNoContent("DELETE", memberPath(userId)));
export const useCreateInvitation = () => useInvalidating((body: CreateInvitationRequest) => api("POST", "/invitations", createdInvitationSchema, { body }));
export const useRevokeInvitation = () => useInvalidating((id: string) => apiNoContent("DELETE", `/invitations/${encodeURIComponent(id)}`));

/** What an invitation link offers. A POST, so the token stays out of URLs and logs, but it changes nothing. */
export const useInvitationInfo = (token: string) =>
  useQuery({ queryKey: ["invitation", token], queryFn: () => api("POST", "/invitations/inspect", invitationInfoSchema, { body: { token } }), enabled: token !== "", staleTime: Infinity });

export const useAcceptInvitation = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (body: AcceptInvitationRequest) => api("POST", "/invitations/accept", meSchema, { body }), onSuccess: () => qc.clear() });
};
