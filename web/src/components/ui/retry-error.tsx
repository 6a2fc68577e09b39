import { Button } from "@/components/ui/button";

/** Why something could not be loaded, and a "Try again" button; the caller lays them out. */
export function RetryError({ message, onRetry }: { message: string | null; onRetry: () => void }) {
  return (
    <>
      <p className="text-destructive">{message}</p>
      <Button size="sm" variant="outline" onClick={onRetry}>
        Try again
      </Button>
    </>
  );
}
