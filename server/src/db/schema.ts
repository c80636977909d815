// Every drizzle table, for drizzle-kit and for the typed client. One line per domain.
export * from '../modules/org/org.table.js'
export * from '../modules/auth/auth.table.js'
export * from '../modules/audit/audit.table.js'
export * from '../modules/common/idempotency.table.js'
export * from '../modules/uploads/uploads.table.js'
export * from '../modules/complaints/complaints.table.js'
export * from '../modules/notify/notify.table.js'
export * from '../modules/bulletins/bulletins.table.js'
