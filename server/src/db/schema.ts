// Every drizzle table, for drizzle-kit and for the typed client. One line per domain.
export * from '../modules/org/org.table.js'
export * from '../modules/auth/auth.table.js'
export * from '../modules/audit/audit.table.js'
export * from '../modules/common/idempotency.table.js'
