-- A migration that runs its own transaction: its COMMIT would end ghostwatch's, so nothing could be rolled back.
BEGIN;
CREATE TABLE IF NOT EXISTS public.other (id uuid);
CREATE TRIGGER on_auth_user_created AFTER INSERT ON public.other
    FOR EACH ROW EXECUTE FUNCTION public.handle_new_user();
COMMIT;
