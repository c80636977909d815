/** Fixed secrets for tests, so the template database seeded once is valid for every test file. */
export const TEMPLATE_DB = 'cc_test_template'
export const TEST_ENV: NodeJS.ProcessEnv = {
  APP_MODE: 'demo',
  DATABASE_URL: 'postgres://unused',
  JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
  DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
  HMAC_KEY: Buffer.alloc(32, 9).toString('base64'),
  LOG_LEVEL: 'silent',
  JOBS: '0',
  COMPLAINTS_PER_HOUR: '100000',
  // The shared template stays the plain demo district; history-seed.test.ts seeds the history itself.
  DEMO_HISTORY: '0',
}
