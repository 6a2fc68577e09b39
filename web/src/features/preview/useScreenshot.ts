import { useState, type RefObject } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/api/errors";
import { downloadUrl } from "@/lib/download";
import { requestScreenshot, screenshotFileName } from "./screenshot";

/** Takes a PNG of the preview page (the page draws it) and downloads it. */
export function useScreenshot(frameRef: RefObject<HTMLIFrameElement>, origin: string | null) {
  const [capturing, setCapturing] = useState(false);
  const take = async () => {
    setCapturing(true);
    try {
      const shot = await requestScreenshot(frameRef.current?.contentWindow, origin);
      downloadUrl(shot.dataUrl, screenshotFileName());
    } catch (e) {
      toast.error(`Screenshot failed: ${errorMessage(e)}`);
    } finally {
      setCapturing(false);
    }
  };
  return { capturing, take };
}
