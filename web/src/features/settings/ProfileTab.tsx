import { Loader2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { errorMessage, fieldError } from "@/api/errors";
import { UserAvatar } from "@/components/layout/UserAvatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Card,
  CardContent,
  CardDescription,
  CardFooter,
  CardHeader,
  CardTitle,
} from "@/components/ui/card";
import { ErrorMessage, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useCurrentUser, useUpdateMe } from "@/features/auth/api";

export function ProfileTab() {
  const user = useCurrentUser();
  const [name, setName] = useState(user.name ?? "");
  const [avatarUrl, setAvatarUrl] = useState(user.avatar_url ?? "");
  const update = useUpdateMe();
  const dirty = name !== (user.name ?? "") || avatarUrl !== (user.avatar_url ?? "");

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    update.mutate(
      { name: name.trim(), avatar_url: avatarUrl.trim() || null },
      { onSuccess: () => toast.success("Profile saved.") },
    );
  };

  return (
    <Card>
      <form onSubmit={onSubmit} className="grid gap-6">
        <CardHeader>
          <CardTitle>Profile</CardTitle>
          <CardDescription>How you appear in appwright.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          <div className="flex items-center gap-4">
            <UserAvatar
              user={{ name, email: user.email, avatar_url: avatarUrl || null }}
              className="size-14 text-base"
            />
            <div className="grid gap-1 text-sm">
              <span className="font-medium">{user.email}</span>
              <span className="flex items-center gap-2 text-muted-foreground">
                {user.email_verified ? (
                  <Badge variant="secondary">Verified</Badge>
                ) : (
                  <Badge variant="outline">Unverified</Badge>
                )}
                <Badge variant="outline" className="capitalize">
                  {user.subscription_tier} plan
                </Badge>
              </span>
            </div>
          </div>
          <ErrorMessage message={update.isError ? errorMessage(update.error) : null} />
          <FormField id="profile-name" label="Name" error={fieldError(update.error, "name")}>
            <Input
              autoComplete="name"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </FormField>
          <FormField
            id="profile-avatar"
            label="Avatar URL"
            hint="A link to a square image. Leave empty to use your initials."
            error={fieldError(update.error, "avatar_url")}
          >
            <Input
              type="url"
              placeholder="https://…"
              value={avatarUrl}
              onChange={(e) => setAvatarUrl(e.target.value)}
            />
          </FormField>
        </CardContent>
        <CardFooter className="justify-end border-t pt-5">
          <Button type="submit" disabled={!dirty || !name.trim() || update.isPending}>
            {update.isPending ? <Loader2 className="animate-spin" /> : null}
            Save changes
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
