import { ExternalLink, FolderOpen, Inbox, Link2, LogIn, RefreshCw } from "lucide-react";
import { Link } from "react-router";
import { ApiError, errorMessage } from "@/api/errors";
import type { OutboxEmail } from "@/api/types";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ErrorMessage } from "@/components/ui/form-field";
import { Skeleton } from "@/components/ui/skeleton";
import { useSession } from "@/features/auth/api";
import { formatRelative } from "@/lib/utils";
import { useOutbox, useOutboxAvailability } from "./api";
import { classifyLink } from "./links";

function EmailLinks({ links }: { links: string[] }) {
  if (links.length === 0) return null;
  return (
    <ul className="grid gap-1.5">
      {links.map((href) => {
        const link = classifyLink(href);
        return (
          <li key={href} className="flex min-w-0 items-center gap-2 text-sm">
            <Link2 className="size-4 shrink-0 text-muted-foreground" aria-hidden />
            {link.kind === "app" ? (
              <Link
                to={link.to}
                className="truncate font-medium text-primary underline-offset-4 hover:underline"
              >
                {href}
              </Link>
            ) : (
              <a
                href={href}
                target="_blank"
                rel="noreferrer"
                className="inline-flex min-w-0 items-center gap-1 truncate text-primary underline-offset-4 hover:underline"
              >
                <span className="truncate">{href}</span>{" "}
                <ExternalLink className="size-3 shrink-0" />
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function EmailCard({ email }: { email: OutboxEmail }) {
  return (
    <Card data-testid="outbox-email">
      <CardHeader>
        <div className="flex flex-wrap items-start justify-between gap-2">
          <CardTitle className="text-base">{email.subject}</CardTitle>
          <span className="text-xs text-muted-foreground">{formatRelative(email.created_at)}</span>
        </div>
        <CardDescription>To: {email.to}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <EmailLinks links={email.links} />
        <details className="group text-sm">
          <summary className="cursor-pointer text-muted-foreground select-none hover:text-foreground">
            Show message
          </summary>
          <pre className="mt-2 max-h-72 overflow-auto rounded-md bg-muted p-3 font-mono text-xs whitespace-pre-wrap">
            {email.text}
          </pre>
        </details>
      </CardContent>
    </Card>
  );
}

const NOT_DEV = "The outbox is only available when the server runs in development mode.";

/** Where every email is on disk: the way to a reset link for someone who cannot sign in. */
function OnDiskNote() {
  return (
    <p
      data-testid="outbox-on-disk"
      className="flex items-start gap-2 text-sm text-muted-foreground"
    >
      <FolderOpen className="mt-0.5 size-4 shrink-0" aria-hidden />
      <span>
        Every email is also saved on the server, one JSON file per email, in the{" "}
        <code>outbox/</code> folder of its data directory (<code>APPWRIGHT_DATA_DIR</code>,{" "}
        <code>./.appwright</code> by default). If you cannot sign in, your password-reset link is
        there.
      </span>
    </p>
  );
}

function SignedOut() {
  const availability = useOutboxAvailability();
  if (availability.isPending) return <Skeleton className="h-32" />;
  if (availability.data === false) return <ErrorMessage message={NOT_DEV} />;
  return (
    <Card data-testid="outbox-signed-out">
      <CardHeader>
        <CardTitle className="text-base">Sign in to see your emails</CardTitle>
        <CardDescription>
          The outbox shows the signed-in person the emails sent to their own address, and nothing
          else.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <OnDiskNote />
        <Button asChild size="sm" className="justify-self-start">
          <Link to="/signin">
            <LogIn /> Sign in
          </Link>
        </Button>
      </CardContent>
    </Card>
  );
}

function Emails() {
  const outbox = useOutbox();
  const notDev = outbox.error instanceof ApiError && outbox.error.status === 404;
  if (outbox.isPending) {
    return (
      <div className="grid gap-4">
        <Skeleton className="h-32" />
        <Skeleton className="h-32" />
      </div>
    );
  }
  if (notDev) return <ErrorMessage message={NOT_DEV} />;
  if (outbox.isError) return <ErrorMessage message={errorMessage(outbox.error)} />;
  return (
    <>
      {outbox.data.length === 0 ? (
        <div className="flex flex-col items-center gap-2 rounded-xl border border-dashed py-16 text-center text-muted-foreground">
          <Inbox className="size-8" aria-hidden />
          <p>No emails yet.</p>
        </div>
      ) : (
        <div className="grid gap-4">
          {[...outbox.data]
            .sort((a, b) => b.created_at.localeCompare(a.created_at))
            .map((email) => (
              <EmailCard key={email.id} email={email} />
            ))}
        </div>
      )}
      <OnDiskNote />
    </>
  );
}

export function OutboxPage() {
  const session = useSession();
  const user = session.data ?? null;
  const outbox = useOutbox();

  return (
    <div className="mx-auto grid w-full max-w-3xl gap-6 px-4 py-8 sm:px-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="flex items-center gap-2 text-2xl font-semibold tracking-tight">
            Email outbox <Badge variant="secondary">dev</Badge>
          </h1>
          <p className="text-sm text-muted-foreground">
            {user ? (
              <>
                Emails the server would have sent to{" "}
                <span className="font-medium text-foreground">{user.email}</span>. Shown because no
                SMTP server is configured.
              </>
            ) : (
              "Emails the server would have sent. Shown because no SMTP server is configured."
            )}
          </p>
        </div>
        {user ? (
          <Button
            variant="outline"
            size="sm"
            onClick={() => void outbox.refetch()}
            disabled={outbox.isFetching}
          >
            <RefreshCw className={outbox.isFetching ? "animate-spin" : undefined} /> Refresh
          </Button>
        ) : null}
      </div>
      {session.isPending ? <Skeleton className="h-32" /> : user ? <Emails /> : <SignedOut />}
    </div>
  );
}
