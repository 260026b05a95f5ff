-- Demo data on top of schema.sql: 200 healthy users, then an incident. The trigger was disabled for the
-- last 40 minutes (7 recent ghosts, P0 by count), one user from 3 days ago never got a profile (P0 by age),
-- and an admin hard-deleted 2 identities (P2 orphans), one of them already soft-deleted (handled).
INSERT INTO auth.users (id, email, email_confirmed_at, created_at, updated_at)
SELECT gen_random_uuid(), 'demo' || g || '@example.com', now() - g * interval '1 hour',
       now() - g * interval '1 hour', now()
FROM generate_series(1, 200) AS g;

ALTER TABLE auth.users DISABLE TRIGGER on_auth_user_created;
INSERT INTO auth.users (id, email, created_at, updated_at)
SELECT gen_random_uuid(), 'ghost' || g || '@example.com', now() - g * interval '5 minutes', now()
FROM generate_series(1, 7) AS g;
INSERT INTO auth.users (id, email, created_at, updated_at)
VALUES (gen_random_uuid(), 'old-ghost@example.com', now() - interval '3 days', now());

DELETE FROM auth.users WHERE id IN (SELECT id FROM auth.users WHERE email LIKE 'demo%' ORDER BY email LIMIT 2);
UPDATE public.users SET deleted_at = now()
WHERE id = (SELECT id FROM public.users p WHERE NOT EXISTS (SELECT 1 FROM auth.users a WHERE a.id = p.id)
            ORDER BY id LIMIT 1);
