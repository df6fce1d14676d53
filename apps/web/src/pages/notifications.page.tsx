import { NotificationsPanel } from "../notifications/notifications-panel.tsx";

/** Every notification channel of the workspace, for all pipelines or one each; a pipeline's own are also in its editor. */
export function NotificationsPage() {
  return (
    <div className="max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Notifications</h1>
        <p className="text-sm text-slate-600">
          Tell people or other systems when a run fails, succeeds again after a failure, warns on a quality rule or takes too long: by a signed webhook,
          a Slack incoming webhook or e-mail. Sending never holds up or changes a run. How to check a webhook's signature is in{" "}
          <code className="rounded bg-slate-100 px-1">docs/notifications.md</code>.
        </p>
      </div>
      <NotificationsPanel />
    </div>
  );
}
