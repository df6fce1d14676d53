import { useState } from "react";
import { useMe } from "../api/auth.queries.ts";
import { useInvitations, useMembers } from "../api/members.queries.ts";
import { useCan } from "../auth/use-can.ts";
import { Button } from "../components/button.tsx";
import { PageSection } from "../components/data-table.tsx";
import { ErrorBanner } from "../components/error-banner.tsx";
import { Spinner } from "../components/spinner.tsx";
import { InvitationsTable } from "../members/invitations-table.tsx";
import { InviteDialog } from "../members/invite.dialog.tsx";
import { MembersTable } from "../members/members-table.tsx";

/** Who belongs to this workspace and with which role; owners invite by link, change roles and remove people. */
export function MembersPage() {
  const me = useMe().data;
  const members = useMembers();
  const manage = useCan("member.manage", "invite people, change roles and remove members");
  const invitations = useInvitations(manage.allowed);
  const [inviting, setInviting] = useState(false);
  const myId = me?.actor.kind === "person" ? me.actor.id : null;
  return (
    <div className="max-w-5xl space-y-6">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Members</h1>
          <p className="text-sm text-slate-600">People in {me?.workspace?.name ?? "this workspace"} and what each may do.</p>
          {!manage.allowed && <p className="mt-1 text-sm text-slate-500">{manage.reason}</p>}
        </div>
        <Button variant="primary" disabled={!manage.allowed} title={manage.reason ?? undefined} onClick={() => setInviting(true)}>
          Invite
        </Button>
      </div>
      {members.isPending ? (
        <Spinner label="Loading members" />
      ) : members.error ? (
        <ErrorBanner error={members.error} />
      ) : (
        <MembersTable members={members.data.members} manage={manage} myId={myId} />
      )}
      {manage.allowed && (
        <PageSection title="Pending invitations">
          {invitations.isPending ? (
            <Spinner label="Loading invitations" />
          ) : invitations.error ? (
            <ErrorBanner error={invitations.error} />
          ) : (
            <InvitationsTable invitations={invitations.data.invitations} />
          )}
        </PageSection>
      )}
      <InviteDialog open={inviting} onClose={() => setInviting(false)} />
    </div>
  );
}
