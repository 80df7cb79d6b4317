// The reviewer's pages, under /reviewer (loaded when first visited).
import { Route, Routes } from "react-router";
import NotFound from "../pages/NotFound";

export default function ReviewerArea() {
  return (
    <Routes>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
