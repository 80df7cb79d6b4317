// A place files can be dropped on (beside the file input that stays the accessible way):
// `over` while something is dragged over it, and the files when they are let go.
import { useState, type DragEvent } from "react";

export function useFileDrop(onFiles: (files: FileList) => void) {
  const [over, setOver] = useState(false);
  const enter = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setOver(true);
  };
  const zone = {
    onDragEnter: enter,
    onDragOver: enter,
    onDragLeave: () => setOver(false),
    onDrop: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      setOver(false);
      if (event.dataTransfer?.files?.length) onFiles(event.dataTransfer.files);
    },
  };
  return { over, zone };
}
