/**
 * Fills a migrated, seeded database with `rows` complaints shaped like a district that has been running the
 * loop for a year: most reports closed, rejected or merged; the open ones recent; every report with its
 * event history; some followers; a published bulletin per day for everything that was published.
 *
 * Set-based SQL only (INSERT … SELECT generate_series), so 1 M complaints take about a minute. Triggers and
 * foreign-key checks are off during the load (session_replication_role = replica, needs a superuser, which
 * the embedded server gives us); maintained counters are then rebuilt in one pass if the schema has them.
 * Works on any schema version since the complaint loop landed: optional columns are filled only when present.
 */
import type pg from 'pg'

export interface Generated {
  rows: number
  residents: number
  firstUserId: number
  /** The resident with the most reports (for "my reports"). */
  busyResidentId: number
  seconds: number
}

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'

const DESCRIPTIONS = [
  '小区东门无人值守，外来人员随意进出，没有查验健康码',
  '卡口志愿者只看不登记，车辆直接放行',
  '超市入口没有测温，顾客大多没戴口罩',
  '菜市场人员密集，摊主不戴口罩',
  '楼道里有从外地返回的人员，没有居家隔离',
  '隔离户家属每天外出买菜，无人管理',
  '小区垃圾房多日未消杀，气味很大',
  '药店哄抬口罩价格，一只卖到十元',
  '宣传栏还是过期的通知，老人不知道怎么报备',
  '广场上有人聚集打牌，二三十人',
  '写字楼电梯口没有消毒，按钮无人擦拭',
  '物业把侧门打开方便快递，进出不查验',
]

/** Cumulative weights: a live system has far more finished reports than open ones. */
const STATUS_WEIGHTS: [string, number][] = [
  ['submitted', 0.008],
  ['accepted', 0.004],
  ['assigned', 0.012],
  ['signed', 0.025],
  ['rectified', 0.01],
  ['verified', 0.006],
  ['published', 0.04],
  ['reopened', 0.003],
  ['rejected', 0.09],
  ['merged', 0.08],
  ['closed', 1], // the rest
]

async function hasColumn(c: pg.PoolClient, table: string, column: string) {
  const r = await c.query(`SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2`, [table, column])
  return r.rowCount === 1
}

export async function generateComplaints(pool: pg.Pool, rows: number, log: (s: string) => void = () => {}): Promise<Generated> {
  const t0 = Date.now()
  const c = await pool.connect()
  try {
    await c.query(`SET session_replication_role = replica`).catch(() => log('not a superuser: loading with triggers on (slower)'))
    await c.query(`SET maintenance_work_mem = '256MB'`)
    await c.query(`SET work_mem = '128MB'`)

    // Residents: about one per ten reports, with a skewed activity (a few report a lot).
    const residents = Math.max(200, Math.round(rows / 10))
    const first = await c.query<{ id: number }>(
      `INSERT INTO users (display_name, phone_hash) SELECT '网友', 'bench-' || g || '-' || md5(random()::text) FROM generate_series(1, $1) g RETURNING id`,
      [residents],
    )
    const userIds = first.rows.map((r) => r.id)
    const firstUserId = Math.min(...userIds)
    const lastUserId = Math.max(...userIds)

    // Places from the seeded org tree: compounds mostly, then market entities, then communities themselves.
    await c.query(`DROP TABLE IF EXISTS bench_places; CREATE TEMP TABLE bench_places AS
      SELECT row_number() OVER (PARTITION BY kind ORDER BY id)::int AS k, id, kind::text AS kind, path,
        (string_to_array(btrim(path, '/'), '/'))[2]::int AS street_id,
        (string_to_array(btrim(path, '/'), '/'))[3]::int AS community_id
      FROM org_units WHERE kind IN ('compound', 'community', 'market');
      CREATE INDEX ON bench_places (kind, k); ANALYZE bench_places`)
    const kinds = Object.fromEntries(
      (await c.query<{ kind: string; n: number }>(`SELECT kind, count(*)::int AS n FROM bench_places GROUP BY kind`)).rows.map((r) => [r.kind, r.n]),
    ) as Record<string, number>
    const cats = (await c.query<{ id: number; sign_hours: number }>(`SELECT id, sign_hours FROM complaint_categories ORDER BY sort, id`)).rows
    const district = (await c.query<{ id: number }>(`SELECT id FROM org_units WHERE kind = 'district' ORDER BY id LIMIT 1`)).rows[0]!.id
    const startId = Number((await c.query<{ m: number }>(`SELECT coalesce(max(id), 0)::int AS m FROM complaints`)).rows[0]!.m)

    const statusCase = (() => {
      let acc = 0
      const parts = STATUS_WEIGHTS.map(([s, w]) => {
        acc = s === 'closed' ? 2 : acc + w
        return `WHEN u_status < ${acc} THEN '${s}'`
      })
      return `CASE ${parts.join(' ')} END`
    })()
    const withPath = await hasColumn(c, 'complaints', 'assignee_path')

    // One statement: draw everything per row, order by time so ids follow time as in a live system.
    await c.query(
      `
      WITH draw AS (
        SELECT g,
          ${statusCase} AS status,
          random() AS u_place, random() AS u_pick, random() AS u_cat, random() AS u_age, random() AS u_user,
          random() AS u_a, random() AS u_b, random() AS u_c, random() AS u_d
        FROM (SELECT g, random() AS u_status FROM generate_series(1, $1::int) g) s
      ), shaped AS (
        SELECT d.*,
          CASE WHEN u_place < 0.70 THEN 'compound' WHEN u_place < 0.85 THEN 'market' WHEN u_place < 0.95 THEN 'community' ELSE NULL END AS pkind,
          now() - make_interval(secs => 86400 * CASE status
            WHEN 'submitted' THEN u_age * 0.8
            WHEN 'accepted' THEN u_age * 1
            WHEN 'assigned' THEN u_age * u_age * 1
            WHEN 'signed' THEN 0.2 + u_age * 3
            WHEN 'rectified' THEN 0.5 + u_age * 3
            WHEN 'verified' THEN 1 + u_age * 4
            WHEN 'published' THEN 3 + u_age * 6
            WHEN 'reopened' THEN 8 + u_age * 20
            WHEN 'closed' THEN 10 + u_age * 390
            ELSE 0.1 + u_age * 400 END) AS created
        FROM draw d
      ), placed AS (
        SELECT s.*, p.id AS place_id, p.street_id,
          COALESCE(p.community_id, (SELECT id FROM bench_places WHERE kind = 'community' AND k = 1 + (s.g % ${kinds.community ?? 1}))) AS community_id,
          CASE WHEN p.kind = 'market' AND s.u_d < 0.4 THEN p.id END AS market_unit
        FROM shaped s
        LEFT JOIN bench_places p ON p.kind = s.pkind AND p.k = 1 + floor(s.u_pick * CASE s.pkind
          WHEN 'compound' THEN ${kinds.compound ?? 1} WHEN 'market' THEN ${kinds.market ?? 1} ELSE ${kinds.community ?? 1} END)::int
      ), timed AS (
        SELECT x.*,
          row_number() OVER (ORDER BY created, g) AS rn,
          (ARRAY[${cats.map((k) => k.id).join(',')}])[1 + floor(power(u_cat, 1.6) * ${cats.length})::int] AS category_id,
          status NOT IN ('submitted', 'accepted', 'rejected', 'merged') AS was_assigned,
          status IN ('signed', 'rectified', 'verified', 'published', 'closed', 'reopened') AS was_signed,
          status IN ('rectified', 'verified', 'published', 'closed', 'reopened') AS was_rectified,
          status IN ('verified', 'published', 'closed', 'reopened') AS was_verified,
          status IN ('published', 'closed', 'reopened') AS was_published,
          created + make_interval(secs => least(600 + u_a * 5 * 3600, extract(epoch FROM now() - created) * 0.5)) AS assigned
        FROM placed x
      )
      INSERT INTO complaints (id, tracking_code, reporter_id, client_key, category_id, place_org_id, address, street_org_id,
        description, anonymous, status, reject_reason, merged_into_id, assignee_org_id, assigned_at, sign_due_at, rectify_due_at,
        signed_at, rectified_at, rectified_on_time, verified_at, sign_reminded, rectify_reminded, sign_overdue, rectify_overdue,
        escalated_at, returns, rectify_text, pending_request, pending_reason, pending_until, pending_at, rating, rating_comment,
        published_at, closed_at, created_at, updated_at${withPath ? ', assignee_path' : ''})
      SELECT $2::int + rn,
        'CC' || to_char(created AT TIME ZONE 'Asia/Shanghai', 'YYMMDD') ||
          ${[0, 1, 2, 3, 4].map((k) => `substr('${ALPHABET}', 1 + ((rn / ${32 ** k}) % 32)::int, 1)`).join(' || ')},
        ${firstUserId} + floor(power(u_user, 1.35) * ${lastUserId - firstUserId + 1})::int,
        'bench-' || rn, category_id, place_id,
        CASE WHEN place_id IS NULL THEN '崇川路' || (g % 300 + 1) || '号' END,
        street_id,
        (ARRAY[${DESCRIPTIONS.map((d) => `'${d}'`).join(',')}])[1 + (g % ${DESCRIPTIONS.length})],
        u_b < 0.2,
        (CASE WHEN status = 'merged' AND rn < 100 THEN 'rejected' ELSE status END)::complaint_status,
        CASE WHEN status = 'rejected' OR (status = 'merged' AND rn < 100) THEN '经核实不属于疫情防控漏洞' END,
        CASE WHEN status = 'merged' AND rn >= 100 THEN $2::int + rn - 1 - floor(u_c * 30)::int END,
        CASE WHEN was_assigned THEN COALESCE(market_unit, community_id) END,
        CASE WHEN was_assigned THEN assigned END,
        CASE WHEN was_assigned THEN assigned + interval '2 hours' END,
        CASE WHEN was_assigned THEN assigned + interval '36 hours' END,
        CASE WHEN was_signed THEN assigned + make_interval(secs => 300 + u_b * 7000) END,
        CASE WHEN was_rectified THEN assigned + make_interval(secs => 3600 + u_c * 150000) END,
        CASE WHEN was_rectified THEN 3600 + u_c * 150000 <= 36 * 3600 END,
        CASE WHEN was_verified THEN assigned + make_interval(secs => 160000) END,
        false, false,
        status = 'assigned' AND assigned + interval '2 hours' < now(),
        status IN ('assigned', 'signed') AND assigned + interval '36 hours' < now(),
        CASE WHEN status IN ('assigned', 'signed') AND assigned + interval '2 hours' < now() AND (status = 'assigned' OR assigned + interval '36 hours' < now())
          THEN assigned + interval '2 hours' END,
        CASE WHEN was_rectified AND u_d < 0.05 THEN 1 ELSE 0 END,
        CASE WHEN was_rectified THEN '已安排志愿者24小时值守，出入人员一律查验并登记' END,
        CASE WHEN status IN ('assigned', 'signed') AND u_d < 0.04 THEN 'extension'::complaint_request_kind END,
        CASE WHEN status IN ('assigned', 'signed') AND u_d < 0.04 THEN '需采购门禁设备' END,
        CASE WHEN status IN ('assigned', 'signed') AND u_d < 0.04 THEN assigned + interval '5 days' END,
        CASE WHEN status IN ('assigned', 'signed') AND u_d < 0.04 THEN assigned + interval '3 hours' END,
        (CASE WHEN status = 'reopened' THEN 'unsatisfied' WHEN status = 'closed' AND u_a < 0.75 THEN 'satisfied'
              WHEN status = 'closed' AND u_a < 0.8 THEN 'unsatisfied' END)::complaint_rating,
        NULL,
        CASE WHEN was_published THEN assigned + make_interval(secs => 250000) END,
        CASE WHEN status = 'closed' THEN assigned + make_interval(secs => 300000 + u_b * 500000) END,
        created, created${withPath ? ', (SELECT o.path FROM org_units o WHERE o.id = COALESCE(market_unit, community_id) AND was_assigned)' : ''}
      FROM timed`,
      [rows, startId],
    )
    await c.query(`SELECT setval(pg_get_serial_sequence('complaints', 'id'), (SELECT max(id) FROM complaints))`)
    log(`complaints: ${rows} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)

    // Event history: one row per step each report went through, actors as the loop records them.
    const t1 = Date.now()
    await c.query(
      `
      INSERT INTO complaint_events (complaint_id, at, actor_user_id, actor_role, actor_org_id, kind, from_status, to_status, note)
      SELECT c.id, s.at, CASE WHEN s.role = 'resident' THEN c.reporter_id END, s.role::role, s.org, s.kind, s.f::complaint_status, s.t::complaint_status, s.note
      FROM complaints c
      CROSS JOIN LATERAL (VALUES
        (1, c.created_at, 'resident', NULL::int, 'submitted', NULL, 'submitted', NULL, true),
        (2, c.created_at + interval '20 minutes', 'district_admin', ${district}, 'transition', 'submitted', 'accepted', NULL,
            c.status NOT IN ('submitted', 'rejected', 'merged')),
        (3, c.created_at + interval '20 minutes', 'district_admin', ${district}, 'transition', 'submitted', c.status::text, c.reject_reason,
            c.status IN ('rejected', 'merged')),
        (4, c.assigned_at, 'district_admin', ${district}, 'transition', 'accepted', 'assigned', '交办', c.assigned_at IS NOT NULL),
        (5, c.signed_at, 'community_worker', c.assignee_org_id, 'transition', 'assigned', 'signed', NULL, c.signed_at IS NOT NULL),
        (6, c.rectified_at, 'community_worker', c.assignee_org_id, 'transition', 'signed', 'rectified', NULL, c.rectified_at IS NOT NULL),
        (7, c.verified_at, 'district_admin', ${district}, 'transition', 'rectified', 'verified', NULL, c.verified_at IS NOT NULL),
        (8, c.published_at, 'district_admin', ${district}, 'transition', 'verified', 'published', '整改通报', c.published_at IS NOT NULL),
        (9, c.closed_at, CASE WHEN c.rating IS NULL THEN NULL ELSE 'resident' END, NULL, CASE WHEN c.rating IS NULL THEN 'transition' ELSE 'rated' END,
            'published', 'closed', CASE WHEN c.rating IS NULL THEN '7天未评价，自动办结' ELSE '满意' END, c.status = 'closed'),
        (10, c.published_at + interval '1 day', 'resident', NULL, 'rated', 'published', 'reopened', '不满意', c.status = 'reopened')
      ) s(step, at, role, org, kind, f, t, note, present)
      WHERE c.id > $1 AND s.present
      ORDER BY c.id, s.step`,
      [startId],
    )
    log(`events in ${((Date.now() - t1) / 1000).toFixed(1)} s`)

    // "我也遇到": about 4 % of reports have one to three followers (never the reporter).
    await c.query(
      `INSERT INTO complaint_followers (complaint_id, user_id, created_at)
       SELECT c.id, ${firstUserId} + ((c.reporter_id - ${firstUserId} + 1 + k * 7919 + c.id) % ${lastUserId - firstUserId + 1}), c.created_at + interval '1 hour'
       FROM complaints c CROSS JOIN generate_series(1, 3) k
       WHERE c.id > $1 AND c.status NOT IN ('rejected', 'merged') AND (c.id % 100) < 4 AND k <= 1 + (c.id % 3)
       ON CONFLICT DO NOTHING`,
      [startId],
    )
    // The busiest resident also joined a few reports of others.
    const busy = (await c.query<{ id: number }>(`SELECT reporter_id AS id FROM complaints WHERE id > $1 GROUP BY reporter_id ORDER BY count(*) DESC LIMIT 1`, [startId])).rows[0]!.id
    await c.query(
      `INSERT INTO complaint_followers (complaint_id, user_id) SELECT id, $2 FROM complaints WHERE id > $1 AND reporter_id <> $2 AND status NOT IN ('rejected', 'merged') AND id % 997 = 0 LIMIT 12 ON CONFLICT DO NOTHING`,
      [startId, busy],
    )

    // One published bulletin per Beijing day for everything published that day.
    const t2 = Date.now()
    await c.query(
      `
      WITH days AS (
        SELECT DISTINCT (published_at AT TIME ZONE 'Asia/Shanghai')::date AS day FROM complaints WHERE id > $1 AND published_at IS NOT NULL
      ), numbered AS (
        SELECT day, coalesce((SELECT max(number) FROM bulletins WHERE kind = 'regular' AND district_org_id = ${district}), 0) + row_number() OVER (ORDER BY day) AS n FROM days
      )
      INSERT INTO bulletins (district_org_id, number, kind, status, title, published_at, created_at)
      SELECT ${district}, n, 'regular', 'published', '崇川区网友反馈问题整改通报(第' || n || '期)',
        (day + time '18:00') AT TIME ZONE 'Asia/Shanghai', (day + time '09:00') AT TIME ZONE 'Asia/Shanghai'
      FROM numbered ORDER BY day`,
      [startId],
    )
    await c.query(
      `
      INSERT INTO bulletin_items (bulletin_id, complaint_id, seq, problem, place, measures)
      SELECT b.id, c.id, row_number() OVER (PARTITION BY b.id ORDER BY c.id),
        '网友反映' || COALESCE(c.address, '某小区') || '：' || c.description, COALESCE(c.address, '某小区'), '责任单位：' || coalesce(c.rectify_text, '')
      FROM complaints c
      JOIN bulletins b ON b.kind = 'regular' AND b.status = 'published' AND b.district_org_id = ${district}
        AND (b.published_at AT TIME ZONE 'Asia/Shanghai')::date = (c.published_at AT TIME ZONE 'Asia/Shanghai')::date
      WHERE c.id > $1 AND c.published_at IS NOT NULL`,
      [startId],
    )
    await c.query(
      `INSERT INTO bulletin_counters (district_org_id, last_number) SELECT ${district}, coalesce(max(number), 0) FROM bulletins WHERE kind = 'regular' AND district_org_id = ${district}
       ON CONFLICT (district_org_id) DO UPDATE SET last_number = EXCLUDED.last_number`,
    )
    log(`followers + bulletins in ${((Date.now() - t2) / 1000).toFixed(1)} s`)

    await c.query(`SET session_replication_role = DEFAULT`).catch(() => {})
    // Counters the schema maintains by trigger were bypassed above: rebuild them from the rows.
    const rebuild = await c.query(`SELECT 1 FROM pg_proc WHERE proname = 'complaint_counters_rebuild'`)
    if (rebuild.rowCount) await c.query(`SELECT complaint_counters_rebuild()`)
    const dash = await c.query(`SELECT 1 FROM pg_proc WHERE proname = 'dash_complaints_rebuild'`)
    if (dash.rowCount) await c.query(`SELECT dash_complaints_rebuild()`)
    const t3 = Date.now()
    await c.query(`VACUUM (ANALYZE) complaints, complaint_events, complaint_followers, bulletins, bulletin_items, users`)
    log(`vacuum analyze in ${((Date.now() - t3) / 1000).toFixed(1)} s`)
    return { rows, residents, firstUserId, busyResidentId: busy, seconds: (Date.now() - t0) / 1000 }
  } finally {
    c.release()
  }
}
