import { CheckCircle2, Loader2, XCircle } from "lucide-react";
import { useEffect, useRef } from "react";
import { Link, useSearchParams } from "react-router";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { useSession, useVerifyEmail } from "./api";
import { AuthLayout } from "./AuthLayout";

export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  const verify = useVerifyEmail();
  const { data: user } = useSession();
  const sent = useRef(false);
  const { mutate } = verify;

  useEffect(() => {
    // A verification token is single-use: post it exactly once, even under StrictMode.
    if (!token || sent.current) return;
    sent.current = true;
    mutate(token);
  }, [token, mutate]);

  const next = user ? (
    <Button asChild>
      <Link to="/">Go to your projects</Link>
    </Button>
  ) : (
    <Button asChild>
      <Link to="/signin">Sign in</Link>
    </Button>
  );

  if (!token) {
    return (
      <AuthLayout title="Verify your email">
        <div className="grid gap-4 text-sm text-muted-foreground">
          <p>This link is missing its verification token. Open the link from the email again.</p>
          {next}
        </div>
      </AuthLayout>
    );
  }

  if (verify.isSuccess) {
    return (
      <AuthLayout title="Email verified">
        <div role="status" className="grid gap-4 text-sm text-muted-foreground">
          <p className="flex items-start gap-3">
            <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-success" />
            <span>
              <span className="font-medium text-foreground">{verify.data.user.email}</span> is
              verified. You can now publish apps.
            </span>
          </p>
          {next}
        </div>
      </AuthLayout>
    );
  }

  if (verify.isError) {
    return (
      <AuthLayout title="Verification failed">
        <div role="alert" className="grid gap-4 text-sm text-muted-foreground">
          <p className="flex items-start gap-3">
            <XCircle className="mt-0.5 size-5 shrink-0 text-destructive" />
            {errorMessage(verify.error)}
          </p>
          <p>
            {user
              ? "You can send a new link from the banner in the app."
              : "Sign in to send a new link."}
          </p>
          {next}
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Verifying your email">
      <p role="status" className="flex items-center gap-3 text-sm text-muted-foreground">
        <Loader2 className="size-5 animate-spin" /> One moment…
      </p>
    </AuthLayout>
  );
}
