import { FolderKanban, Settings } from "lucide-react";
import { Suspense, type ReactNode } from "react";
import { Link, NavLink, Outlet } from "react-router";
import { cn } from "@/lib/utils";
import { FullPageSpinner } from "./FullPageStatus";
import { Logo } from "./Logo";
import { ThemeToggle } from "./ThemeToggle";
import { UserMenu } from "./UserMenu";
import { VerifyEmailBanner } from "./VerifyEmailBanner";

function NavItem({ to, icon, label }: { to: string; icon: ReactNode; label: string }) {
  return (
    <NavLink
      to={to}
      end
      className={({ isActive }) =>
        cn(
          "inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground transition-colors hover:text-foreground [&_svg]:size-4",
          isActive && "bg-accent text-foreground",
        )
      }
    >
      {icon}
      <span className="hidden sm:inline">{label}</span>
    </NavLink>
  );
}

/** Header + banner around the signed-in pages (not the workspace, which has its own). */
export function AppShell({ children }: { children?: ReactNode }) {
  return (
    <div className="flex min-h-full flex-col">
      <header className="sticky top-0 z-40 border-b bg-background/80 backdrop-blur supports-[backdrop-filter]:bg-background/60">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-4 sm:px-6">
          <Link to="/" aria-label="appwright home">
            <Logo />
          </Link>
          <nav aria-label="Main" className="flex items-center gap-1">
            <NavItem to="/" icon={<FolderKanban />} label="Projects" />
            <NavItem to="/settings" icon={<Settings />} label="Settings" />
          </nav>
          <div className="ml-auto flex items-center gap-1">
            <ThemeToggle />
            <UserMenu />
          </div>
        </div>
      </header>
      <VerifyEmailBanner />
      <main className="flex-1">
        <Suspense fallback={<FullPageSpinner />}>{children ?? <Outlet />}</Suspense>
      </main>
    </div>
  );
}
