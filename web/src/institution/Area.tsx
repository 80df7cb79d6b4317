// The institution's pages, under /institution (loaded when first visited).
import { Route, Routes } from "react-router";
import NotFound from "../pages/NotFound";

export default function InstitutionArea() {
  return (
    <Routes>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
