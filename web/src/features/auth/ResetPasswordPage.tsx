import { CheckCircle2, Loader2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Link, Navigate, useSearchParams } from "react-router";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { ErrorMessage, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useConfirmPasswordReset, useSession } from "./api";
import { AuthLayout } from "./AuthLayout";
import { MIN_PASSWORD_LENGTH } from "./SignUpPage";

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [touched, setTouched] = useState(false);
  const reset = useConfirmPasswordReset();
  const { data: user } = useSession();

  if (!token) return <Navigate to="/forgot-password" replace />;

  const tooShort = password.length < MIN_PASSWORD_LENGTH;
  const mismatch = confirm !== password;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (tooShort || mismatch) return;
    reset.mutate({ token, password });
  };

  if (reset.isSuccess) {
    return (
      <AuthLayout title="Password changed">
        <div role="status" className="grid gap-4 text-sm text-muted-foreground">
          <p className="flex items-start gap-3">
            <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-success" />
            Your password has been changed. Use it the next time you sign in.
          </p>
          <Button asChild>
            <Link to={user ? "/" : "/signin"}>{user ? "Go to your projects" : "Sign in"}</Link>
          </Button>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Choose a new password"
      description="Pick something you haven't used here before."
    >
      <form onSubmit={onSubmit} className="grid gap-4" noValidate>
        <ErrorMessage message={reset.isError ? errorMessage(reset.error) : null} />
        <FormField
          id="reset-password"
          label="New password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          error={
            touched && tooShort ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined
          }
        >
          <Input
            type="password"
            autoComplete="new-password"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </FormField>
        <FormField
          id="reset-password-confirm"
          label="Confirm new password"
          error={touched && mismatch ? "The passwords don't match." : undefined}
        >
          <Input
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        </FormField>
        <Button type="submit" disabled={reset.isPending}>
          {reset.isPending ? <Loader2 className="animate-spin" /> : null}
          Change password
        </Button>
        {reset.isError ? (
          <Link
            to="/forgot-password"
            className="text-center text-sm text-muted-foreground underline-offset-4 hover:underline"
          >
            Request a new link
          </Link>
        ) : null}
      </form>
    </AuthLayout>
  );
}
