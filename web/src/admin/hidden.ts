// Text for screen readers only (the stylesheet has no class for it; React sets this
// through the CSSOM, which the strict CSP allows).
import type { CSSProperties } from "react";

export const visuallyHidden: CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: "hidden",
  clip: "rect(0, 0, 0, 0)",
  whiteSpace: "nowrap",
  border: 0,
};
