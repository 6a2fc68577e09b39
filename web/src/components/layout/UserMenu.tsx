import { Inbox, LogOut, Settings } from "lucide-react";
import { Link, useNavigate } from "react-router";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { useCurrentUser, useSignOut } from "@/features/auth/api";
import { useOutboxAvailable } from "@/features/dev/api";
import { UserAvatar } from "./UserAvatar";

export function UserMenu() {
  const user = useCurrentUser();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const outbox = useOutboxAvailable();

  const onSignOut = () => {
    signOut.mutate(undefined, {
      onSuccess: () => void navigate("/signin", { replace: true }),
      onError: (error) => toast.error(errorMessage(error)),
    });
  };

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full" aria-label="Account menu">
          <UserAvatar user={user} />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="grid gap-0.5">
          <span className="truncate">{user.name ?? user.email}</span>
          <span className="truncate text-xs font-normal text-muted-foreground">{user.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link to="/settings">
            <Settings /> Settings
          </Link>
        </DropdownMenuItem>
        {outbox ? (
          <DropdownMenuItem asChild>
            <Link to="/dev/outbox">
              <Inbox /> Dev outbox
            </Link>
          </DropdownMenuItem>
        ) : null}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={onSignOut} disabled={signOut.isPending}>
          <LogOut /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
