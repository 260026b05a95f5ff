-- A migration that creates the trigger on the wrong table: must be rolled back.
CREATE TABLE IF NOT EXISTS public.other (id uuid);
CREATE TRIGGER on_auth_user_created AFTER INSERT ON public.other
    FOR EACH ROW EXECUTE FUNCTION public.handle_new_user();
