// The reviewer's pages, under /reviewer (this chunk loads when the area is first visited).
import { Route, Routes } from "react-router";
import NotFound from "../pages/NotFound";
import Inbox from "../notifications/Inbox";
import Preferences from "../notifications/Preferences";
import Queue from "./Queue";
import CasePage from "./CasePage";
import History from "./History";

export default function ReviewerArea() {
  return (
    <Routes>
      <Route index element={<Queue />} />
      <Route path="cases/:id" element={<CasePage />} />
      <Route path="history" element={<History />} />
      <Route path="notifications" element={<Inbox />} />
      <Route path="notifications/preferences" element={<Preferences />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
