import { Check, GitBranch, GitMerge } from "lucide-react";
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
import { useBranches, useCreateBranch, useSwitchBranch } from "./api";

/** The current branch; switch to another, start a new one, or open the branches dialog. */
export function BranchMenu({ projectId, onManage }: { projectId: string; onManage: () => void }) {
  const branches = useBranches(projectId);
  const switchBranch = useSwitchBranch(projectId);
  const createBranch = useCreateBranch(projectId);
  const current = branches.data?.current ?? "…";
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className="h-7 max-w-36 gap-1 px-2"
          aria-label={`Branch: ${current}`}
        >
          <GitBranch className="size-3.5" />
          <span className="truncate">{current}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>Branches</DropdownMenuLabel>
        {branches.data?.branches.map((b) => (
          <DropdownMenuItem
            key={b.name}
            disabled={b.current || switchBranch.isPending}
            onSelect={() =>
              switchBranch.mutate(b.name, {
                onSuccess: () => toast.success(`Switched to ${b.name}`),
                onError: (e) => toast.error(errorMessage(e)),
              })
            }
          >
            {b.current ? <Check className="size-4" /> : <span className="size-4" />}
            {b.name}
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem
          onSelect={() => {
            const name = window.prompt("New branch name (starts from the current version)")?.trim();
            if (!name) return;
            createBranch.mutate(name, {
              onSuccess: () => toast.success(`Created and switched to ${name}`),
              onError: (e) => toast.error(errorMessage(e)),
            });
          }}
        >
          New branch…
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={onManage}>
          <GitMerge className="size-4" />
          Merge or delete branches…
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
