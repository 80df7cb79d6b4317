// The admin's pages, under /admin (loaded when first visited).
import { Route, Routes } from "react-router";
import NotFound from "../pages/NotFound";

export default function AdminArea() {
  return (
    <Routes>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
