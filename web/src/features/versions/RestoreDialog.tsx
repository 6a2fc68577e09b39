import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { Version } from "./api";

export interface RestoreDialogProps {
  /** The version to restore; the dialog is open while there is one. */
  version: Version | null;
  /** Restore the code of the version's chat message: the chat continues from it. */
  toMessage: boolean;
  /** How many unsaved changes a restore saves as a version first. */
  pending: number;
  onClose: () => void;
  onConfirm: (version: Version) => void;
}

/** Asks before restoring a version (or the code of its chat message) as a new version. */
export function RestoreDialog({
  version,
  toMessage,
  pending,
  onClose,
  onConfirm,
}: RestoreDialogProps) {
  const title = version?.description.split("\n")[0];
  const savedFirst = pending ? ", and your unsaved changes are saved as a version first" : "";
  return (
    <ConfirmDialog
      open={version !== null}
      onClose={onClose}
      title={toMessage ? "Restore to this chat message?" : "Restore this version?"}
      description={
        toMessage ? (
          <>
            The code goes back to how the AI left it with this message (“{title}”,{" "}
            {version?.short_hash}). This adds a new version; nothing is lost{savedFirst}.
          </>
        ) : (
          <>
            The project's files go back to “{title}” ({version?.short_hash}). This adds a new
            version; nothing is lost{savedFirst}. You can restore the current version again later.
          </>
        )
      }
      confirmLabel={toMessage ? "Restore and continue from here" : "Restore"}
      onConfirm={() => {
        if (version) onConfirm(version);
      }}
    >
      {toMessage && (
        <p className="text-sm text-muted-foreground">
          The chat then continues from that message: what you send next starts a new branch of the
          conversation. The later messages stay in their own branch, where you can still read them.
        </p>
      )}
    </ConfirmDialog>
  );
}
