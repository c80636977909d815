-- Residents were named "居民" + the last four digits of their phone, which leaked part of the number wherever a
-- name is shown. Give every such name a random four-letter code that has nothing to do with the phone.
UPDATE users SET display_name = '居民' || chr(65 + floor(random() * 26)::int) || chr(65 + floor(random() * 26)::int)
  || chr(65 + floor(random() * 26)::int) || chr(65 + floor(random() * 26)::int)
WHERE display_name ~ '^居民[0-9]{4}$';
--> statement-breakpoint
-- A property project (物管项目) is found by its company's name too ("乾坤物业"): copy the company of the
-- compound it manages (same community, "<compound>物管项目") onto the market entity.
UPDATE org_units m SET attrs = m.attrs || jsonb_build_object('propertyCompany', c.attrs->>'propertyCompany')
FROM org_units c, org_units comm
WHERE m.kind = 'market' AND m.market_kind = 'property_project' AND NOT (m.attrs ? 'propertyCompany')
  AND comm.id = m.parent_id AND c.kind = 'compound' AND c.path LIKE comm.path || '%'
  AND c.attrs ? 'propertyCompany' AND m.name = c.name || '物管项目';
