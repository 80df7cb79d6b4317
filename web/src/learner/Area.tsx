// The learner's pages, under /learner (this chunk loads when the area is first visited).
import { Route, Routes } from "react-router";
import NotFound from "../pages/NotFound";
import Dashboard from "./Dashboard";
import Results from "./Results";
import AddResult from "./AddResult";
import ResultDetail from "./ResultDetail";
import Transcript from "./Transcript";
import Directory from "./Directory";
import Consents from "./Consents";
import { LearnerLive } from "./live";
import Inbox from "../notifications/Inbox";
import Preferences from "../notifications/Preferences";

export default function LearnerArea() {
  return (
    <>
      <LearnerLive />
      <Routes>
      <Route index element={<Dashboard />} />
      <Route path="results" element={<Results />} />
      <Route path="results/new" element={<AddResult />} />
      <Route path="results/:id" element={<ResultDetail />} />
      <Route path="transcript" element={<Transcript />} />
      <Route path="institutions" element={<Directory />} />
      <Route path="consents" element={<Consents />} />
      <Route path="notifications" element={<Inbox />} />
      <Route path="notifications/preferences" element={<Preferences />} />
      <Route path="*" element={<NotFound />} />
      </Routes>
    </>
  );
}
