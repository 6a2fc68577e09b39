import { Loader2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { errorMessage, fieldError } from "@/api/errors";
import { Button } from "@/components/ui/button";
import { ErrorMessage, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { useSignUp } from "./api";
import { AuthLayout } from "./AuthLayout";

export const MIN_PASSWORD_LENGTH = 8;

export function SignUpPage() {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [touched, setTouched] = useState(false);
  const signUp = useSignUp();
  const navigate = useNavigate();

  const passwordTooShort = password.length > 0 && password.length < MIN_PASSWORD_LENGTH;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (password.length < MIN_PASSWORD_LENGTH || !email.trim() || !name.trim()) return;
    signUp.mutate(
      { name: name.trim(), email: email.trim(), password },
      { onSuccess: () => void navigate("/", { replace: true }) },
    );
  };

  return (
    <AuthLayout
      title="Create your account"
      description="Describe an app, and watch it get built."
      footer={
        <>
          Already have an account?{" "}
          <Link
            to="/signin"
            className="font-medium text-foreground underline-offset-4 hover:underline"
          >
            Sign in
          </Link>
        </>
      }
    >
      <form onSubmit={onSubmit} className="grid gap-4" noValidate>
        <ErrorMessage message={signUp.isError ? errorMessage(signUp.error) : null} />
        <FormField
          id="signup-name"
          label="Name"
          error={
            fieldError(signUp.error, "name") ??
            (touched && !name.trim() ? "Tell us your name." : undefined)
          }
        >
          <Input
            autoComplete="name"
            required
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </FormField>
        <FormField
          id="signup-email"
          label="Email"
          error={
            fieldError(signUp.error, "email") ??
            (touched && !email.trim() ? "Enter your email address." : undefined)
          }
        >
          <Input
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </FormField>
        <FormField
          id="signup-password"
          label="Password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          error={
            fieldError(signUp.error, "password") ??
            ((touched || passwordTooShort) && password.length < MIN_PASSWORD_LENGTH
              ? `Use at least ${MIN_PASSWORD_LENGTH} characters.`
              : undefined)
          }
        >
          <Input
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </FormField>
        <Button type="submit" disabled={signUp.isPending}>
          {signUp.isPending ? <Loader2 className="animate-spin" /> : null}
          Create account
        </Button>
      </form>
    </AuthLayout>
  );
}
