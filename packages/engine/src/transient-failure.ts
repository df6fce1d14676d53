import { CONNECTION_LOST, NOT_REACHED } from "./connectors/postgres-errors.ts";

/**
 * Whether a failure is worth another attempt: the network or a database hiccuped (a restart, a failover, a
 * serialization conflict), the data and the pipeline were not at fault. Matched on messages, since connectors
 * report PostgreSQL's words rather than its SQLSTATE codes; a PostgreSQL connection that dropped is reported with
 * CONNECTION_LOST first (postgres-errors.ts), whatever node-postgres said about it, and a connection attempt that
 * found nothing listening or no answer (a server restarting) ends with NOT_REACHED.
 */
const TRANSIENT =
  /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|connection terminated|server closed the connection|terminating connection due to administrator command|the database system is (shutting down|starting up|in recovery mode)|serialization failure|could not serialize|deadlock detected|40001|40P01|57P01/i;

export const isTransientFailure = (message: string): boolean => message.includes(CONNECTION_LOST) || message.includes(NOT_REACHED) || TRANSIENT.test(message);
