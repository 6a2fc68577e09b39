import { useRef, useState } from "react";
import { toast } from "sonner";
import { useUploadFiles } from "./api";
import { uploadedMessage } from "./lib/upload";

/** Files that already exist where they were uploaded: the person is asked to replace them. */
export interface ExistingFiles {
  files: File[];
  dir: string;
}

/**
 * Uploads files from the OS into a folder: each failure is told with its reason, existing
 * files are asked about. `pick(dir)` opens the file picker bound to `input`.
 */
export function useTreeUpload(projectId: string, onToggle: (dir: string, open?: boolean) => void) {
  const uploadFiles = useUploadFiles(projectId);
  const input = useRef<HTMLInputElement>(null);
  const [pickDir, setPickDir] = useState("");
  const [existing, setExisting] = useState<ExistingFiles | null>(null);

  const upload = async (files: File[], dir: string, overwrite = false) => {
    if (files.length === 0) return;
    const report = await uploadFiles.mutateAsync({ files, directory: dir, overwrite });
    if (report.uploaded.length) {
      toast.success(uploadedMessage(report.uploaded, dir));
      if (dir) onToggle(dir, true);
    }
    for (const { name, reason } of report.failed) {
      toast.error(`Could not upload ${name}`, { description: reason, duration: 10_000 });
    }
    if (report.exists.length) setExisting({ files: report.exists, dir });
  };

  const pick = (dir: string) => {
    setPickDir(dir);
    input.current?.click();
  };
  const picked = (files: File[]) => {
    void upload(files, pickDir);
    setPickDir("");
  };

  return {
    input,
    uploading: uploadFiles.isPending,
    upload,
    pick,
    picked,
    existing,
    closeExisting: () => setExisting(null),
  };
}
