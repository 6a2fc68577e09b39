import { Monitor, Moon, Sun, type LucideIcon } from "lucide-react";
import type { Theme } from "@/api/types";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/utils";
import { useTheme } from "./theme";

const OPTIONS: { value: Theme; label: string; icon: LucideIcon; hint: string }[] = [
  { value: "light", label: "Light", icon: Sun, hint: "Always light" },
  { value: "dark", label: "Dark", icon: Moon, hint: "Always dark" },
  { value: "system", label: "System", icon: Monitor, hint: "Follow this device" },
];

export function AppearanceTab() {
  const { theme, setTheme } = useTheme();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Appearance</CardTitle>
        <CardDescription>
          Your choice is saved to your account and follows you to every device.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <fieldset className="grid gap-3 sm:grid-cols-3">
          <legend className="sr-only">Theme</legend>
          {OPTIONS.map(({ value, label, icon: Icon, hint }) => (
            <label
              key={value}
              data-testid="theme-option"
              className={cn(
                "flex cursor-pointer flex-col gap-3 rounded-xl border p-4 transition-colors hover:bg-accent/50 has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
                theme === value && "border-primary bg-primary/5",
              )}
            >
              <input
                type="radio"
                name="theme"
                value={value}
                checked={theme === value}
                onChange={() => setTheme(value)}
                className="sr-only"
                aria-label={label}
              />
              <ThemePreview value={value} />
              <span className="flex items-center gap-2 text-sm font-medium">
                <Icon className="size-4" aria-hidden /> {label}
              </span>
              <span className="-mt-2 text-xs text-muted-foreground">{hint}</span>
            </label>
          ))}
        </fieldset>
      </CardContent>
    </Card>
  );
}

function ThemePreview({ value }: { value: Theme }) {
  const half = (dark: boolean) => (
    <div className={cn("flex flex-1 flex-col gap-1.5 p-2", dark ? "bg-zinc-900" : "bg-zinc-100")}>
      <div className={cn("h-1.5 w-2/3 rounded-full", dark ? "bg-zinc-600" : "bg-zinc-300")} />
      <div className={cn("h-1.5 w-1/2 rounded-full", dark ? "bg-violet-400" : "bg-violet-500")} />
      <div className={cn("h-1.5 w-3/4 rounded-full", dark ? "bg-zinc-700" : "bg-zinc-200")} />
    </div>
  );
  return (
    <div aria-hidden className="flex h-16 overflow-hidden rounded-md border">
      {value === "system" ? (
        <>
          {half(false)}
          {half(true)}
        </>
      ) : (
        half(value === "dark")
      )}
    </div>
  );
}
