/**
 * Whether a failure is worth another attempt: the network or a database hiccuped (a restart, a failover, a
 * serialization conflict), the data and the pipeline were not at fault. Matched on messages, since connectors
 * report PostgreSQL's words rather than its SQLSTATE codes.
 */
const TRANSIENT =
  /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|connection terminated|server closed the connection|terminating connection due to administrator command|the database system is (shutting down|starting up|in recovery mode)|serialization failure|could not serialize|deadlock detected|40001|40P01|57P01/i;

export const isTransientFailure = (message: string): boolean => TRANSIENT.test(message);
