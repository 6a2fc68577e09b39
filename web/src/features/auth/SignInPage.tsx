import { Loader2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { ErrorMessage, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useSignIn } from "./api";
import { AuthLayout } from "./AuthLayout";
import type { FromState } from "./guards";
import { safeRedirect } from "./redirect";

export function SignInPage() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useSignIn();
  const navigate = useNavigate();
  const location = useLocation();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate(
      { email: email.trim(), password },
      {
        onSuccess: () => {
          const from = (location.state as FromState | null)?.from;
          void navigate(safeRedirect(from), { replace: true });
        },
      },
    );
  };

  return (
    <AuthLayout
      title="Sign in"
      description="Welcome back. Sign in to continue building."
      footer={
        <>
          No account yet?{" "}
          <Link
            to="/signup"
            className="font-medium text-foreground underline-offset-4 hover:underline"
          >
            Create one
          </Link>
        </>
      }
    >
      <form onSubmit={onSubmit} className="grid gap-4" noValidate>
        <ErrorMessage message={signIn.isError ? errorMessage(signIn.error) : null} />
        <FormField id="signin-email" label="Email">
          <Input
            type="email"
            autoComplete="email"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </FormField>
        <div className="grid gap-2">
          <FormField id="signin-password" label="Password">
            <Input
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </FormField>
          <Link
            to="/forgot-password"
            className="justify-self-end text-xs text-muted-foreground underline-offset-4 hover:text-foreground hover:underline"
          >
            Forgot your password?
          </Link>
        </div>
        <Button type="submit" disabled={signIn.isPending || !email || !password}>
          {signIn.isPending ? <Loader2 className="animate-spin" /> : null}
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}
