// A card of the learner's pages that is also a named region (its heading names it), so
// screen-reader users can jump to "Credits" or "Certificates".
import { useId, type ReactNode } from "react";

export function Section({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  const id = useId();
  return (
    <section className={`card ${className ?? ""}`} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
