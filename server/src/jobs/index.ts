import type { FastifyInstance } from 'fastify'

/** Background jobs on the PostgreSQL-backed queue. */
export async function startJobs(_app: FastifyInstance): Promise<{ stop: () => Promise<void> }> {
  return { stop: async () => {} }
}
