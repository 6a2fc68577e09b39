import { useState } from "react";
import type { User } from "@/api/types";
import { cn } from "@/lib/utils";

function initials(name: string | null, email: string): string {
  const parts = (name ?? "").trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 0 ? parts.slice(0, 2).map((p) => p[0] ?? "") : [email[0] ?? "?"];
  return letters.join("").toUpperCase();
}

export function UserAvatar({
  user,
  className,
}: {
  user: Pick<User, "name" | "email" | "avatar_url">;
  className?: string;
}) {
  const [broken, setBroken] = useState(false);
  const base = cn("size-8 shrink-0 rounded-full", className);
  if (user.avatar_url && !broken) {
    return (
      <img
        src={user.avatar_url}
        alt=""
        className={cn(base, "object-cover")}
        onError={() => setBroken(true)}
      />
    );
  }
  return (
    <span
      aria-hidden
      className={cn(
        base,
        "grid place-items-center bg-gradient-to-br from-violet-500/80 to-sky-500/80 text-xs font-semibold text-white",
      )}
    >
      {initials(user.name, user.email)}
    </span>
  );
}
