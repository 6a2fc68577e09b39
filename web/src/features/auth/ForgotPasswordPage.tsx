import { Loader2, MailCheck } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { ErrorMessage, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useOutboxAvailable } from "@/features/dev/api";
import { useRequestPasswordReset } from "./api";
import { AuthLayout } from "./AuthLayout";

export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const request = useRequestPasswordReset();
  const outbox = useOutboxAvailable();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim()) return;
    request.mutate(email.trim());
  };

  const footer = (
    <Link to="/signin" className="font-medium text-foreground underline-offset-4 hover:underline">
      Back to sign in
    </Link>
  );

  if (request.isSuccess) {
    return (
      <AuthLayout title="Check your email" footer={footer}>
        <div role="status" className="flex items-start gap-3 text-sm text-muted-foreground">
          <MailCheck className="mt-0.5 size-5 shrink-0 text-primary" />
          <p>
            If an account exists for{" "}
            <span className="font-medium text-foreground">{email.trim()}</span>, we sent a link to
            reset its password. The link expires soon.
          </p>
        </div>
        {outbox ? (
          <Button asChild variant="outline" className="mt-4 w-full">
            <Link to="/dev/outbox">Open the dev outbox</Link>
          </Button>
        ) : null}
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Reset your password"
      description="Enter your email and we'll send you a link to choose a new password."
      footer={footer}
    >
      <form onSubmit={onSubmit} className="grid gap-4" noValidate>
        <ErrorMessage message={request.isError ? errorMessage(request.error) : null} />
        <FormField id="forgot-email" label="Email">
          <Input
            type="email"
            autoComplete="email"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </FormField>
        <Button type="submit" disabled={request.isPending || !email.trim()}>
          {request.isPending ? <Loader2 className="animate-spin" /> : null}
          Send reset link
        </Button>
      </form>
    </AuthLayout>
  );
}
