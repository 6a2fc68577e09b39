/** Names a shell would accept as an environment variable. */
export const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function envKeyProblem(key: string): string | undefined {
  if (!key) return undefined;
  if (!ENV_KEY_PATTERN.test(key))
    return "Use letters, digits and underscores, not starting with a digit.";
  if (key.length > 128) return "Keep names under 128 characters.";
  return undefined;
}
