"""External services a project connects to (GitHub now; Vercel, Supabase, Stripe later)."""
