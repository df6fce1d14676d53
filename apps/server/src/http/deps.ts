import type { RateLimiter } from "./rate-limit.ts";
import type { Tx } from "../db/prisma.ts";
import type { PipelineRepository } from "../pipelines/pipeline.repository.ts";
import type { ConnectionRepository } from "../connections/connection.repository.ts";
import type { DataFileRepository } from "../files/data-file.repository.ts";
import type { RunService } from "../runs/run.service.ts";
import type { PreviewFacade } from "../preview/preview.facade.ts";
import type { ValidationFacade } from "../pipelines/validation.facade.ts";
import type { ScheduleRepository } from "../schedules/schedule.repository.ts";
import type { BackfillRepository } from "../backfills/backfill.repository.ts";
import type { BackfillService } from "../backfills/backfill.service.ts";
import type { TokenRepository } from "../tokens/token.repository.ts";
import type { TriggerRepository } from "../triggers/trigger.repository.ts";
import type { FileWatchRepository } from "../triggers/file-watch.repository.ts";
import type { RunHistoryRepository } from "../runs/run-history.repository.ts";
import type { QualityTrendRepository } from "../quality/quality-trend.repository.ts";
import type { WatermarkRepository } from "../watermarks/watermark.repository.ts";

import type { AccountDeps } from "../auth/accounts.ts";
import type { SignInLimits } from "../auth/sign-in-limits.ts";
import type { SetupCode } from "../auth/setup-code.ts";
import type { WorkspaceRepository } from "../workspaces/workspace.repository.ts";
import type { MemberRepository } from "../workspaces/member.repository.ts";
import type { InvitationRepository } from "../workspaces/invitation.repository.ts";
import type { InvitationMailer } from "../workspaces/invitation-mailer.ts";
import type { AuditLogRepository } from "../audit/audit-log.repository.ts";
import type { SsoProvider } from "../auth/sso/sso-provider.ts";
import type { HttpGuardOptions } from "@sluice/engine";
import type { NotificationChannelRepository } from "../notifications/notification-channel.repository.ts";
import type { Notifier } from "../notifications/notifier.ts";
import type { Senders } from "../notifications/notification-senders.ts";

/** What route handlers may use; built once in wiring.ts, for the server and the tests alike. */
export interface Deps {
  /** Runs a change and its audit entry (recordAudit) in one database transaction. */
  transaction<T>(change: (tx: Tx) => Promise<T>): Promise<T>;
  /** Accounts, sessions and sign-in (auth/); `sso` is the configured OpenID Connect provider, if any. */
  /** `setupCode`: the one-time code owner setup takes while no account exists on a networked install (setup-code.ts). */
  auth: { accounts: AccountDeps; limits: SignInLimits; sso: SsoProvider | null; setupCode: SetupCode };
  workspaces: WorkspaceRepository;
  members: MemberRepository;
  /** Invitation links: how long they work, the mailer when SMTP is set up, and PUBLIC_URL for the links. */
  invitations: { repository: InvitationRepository; days: number; mailer: InvitationMailer | null; publicUrl: string | undefined };
  /** Reading the audit log (writing is recordAudit's, in the change's own transaction). */
  audit: AuditLogRepository;
  pipelines: PipelineRepository;
  connections: ConnectionRepository;
  files: DataFileRepository;
  runs: RunService;
  previews: PreviewFacade;
  validation: ValidationFacade;
  schedules: ScheduleRepository;
  /** Backfills: reading them, and starting and retrying them through the run queue. */
  backfills: { repository: BackfillRepository; service: BackfillService };
  tokens: TokenRepository;
  triggers: TriggerRepository;
  /** Pipelines started by uploads whose file name matches their watch. */
  fileWatches: FileWatchRepository;
  /** Each pipeline's recent runs, for the dashboard's history chart. */
  runHistory: RunHistoryRepository;
  quality: QualityTrendRepository;
  watermarks: WatermarkRepository;
  /** Notification channels, the notifier (test notifications) and the address rule their URLs must pass. */
  notifications: { channels: NotificationChannelRepository; notifier: Notifier; senders: Senders; httpGuard: HttpGuardOptions };
  /** connectionTests: how many connection tests each client may start (one limiter per process). */
  limits: { uploadBytes: number; connectionTests: RateLimiter };
  database: { kind: "embedded" | "external" };
  version: string;
  log: (m: string) => void;
}
