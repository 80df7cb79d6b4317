// The admin's pages, under /admin (this chunk loads when the area is first visited).
import { Route, Routes } from "react-router";
import NotFound from "../pages/NotFound";
import Stats from "./Stats";
import Catalog from "./Catalog";
import CatalogHistory from "./CatalogHistory";
import Accounts from "./Accounts";
import Staff from "./Staff";

export default function AdminArea() {
  return (
    <Routes>
      <Route index element={<Stats />} />
      <Route path="catalog" element={<Catalog />} />
      <Route path="catalog/history" element={<CatalogHistory />} />
      <Route path="accounts" element={<Accounts />} />
      <Route path="staff" element={<Staff />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
