import { Loader2, MailWarning } from "lucide-react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { useCurrentUser, useResendVerification } from "@/features/auth/api";

export function VerifyEmailBanner() {
  const user = useCurrentUser();
  const resend = useResendVerification();
  if (user.email_verified) return null;

  const onResend = () => {
    resend.mutate(undefined, {
      onSuccess: () => toast.success(`Verification email sent to ${user.email}.`),
      onError: (error) => toast.error(errorMessage(error)),
    });
  };

  return (
    <div
      data-testid="verify-email-banner"
      role="status"
      className="flex flex-wrap items-center justify-center gap-x-3 gap-y-1 border-b border-warning/30 bg-warning/10 px-4 py-2 text-sm"
    >
      <MailWarning className="size-4 text-warning" aria-hidden />
      <span>
        Verify <span className="font-medium">{user.email}</span> to publish apps.
      </span>
      <Button
        variant="link"
        size="sm"
        className="h-auto p-0"
        onClick={onResend}
        disabled={resend.isPending || resend.isSuccess}
      >
        {resend.isPending ? <Loader2 className="animate-spin" /> : null}
        {resend.isSuccess ? "Email sent" : "Resend email"}
      </Button>
    </div>
  );
}
