// The learner's pages, under /learner (loaded when first visited).
import { Route, Routes } from "react-router";
import NotFound from "../pages/NotFound";

export default function LearnerArea() {
  return (
    <Routes>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
