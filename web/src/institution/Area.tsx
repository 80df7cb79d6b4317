// The institution's pages, under /institution (this chunk loads when the area is first visited).
import { Route, Routes } from "react-router";
import NotFound from "../pages/NotFound";
import Inbox from "../notifications/Inbox";
import Preferences from "../notifications/Preferences";
import Learners from "./Learners";
import LearnerTranscript from "./LearnerTranscript";
import Redemptions from "./Redemptions";
import Feed from "./Feed";
import Profile from "./Profile";
import Webhooks from "./Webhooks";

export default function InstitutionArea() {
  return (
    <Routes>
      <Route index element={<Learners />} />
      <Route path="learners/:id" element={<LearnerTranscript />} />
      <Route path="redemptions" element={<Redemptions />} />
      <Route path="feed" element={<Feed />} />
      <Route path="profile" element={<Profile />} />
      <Route path="webhooks" element={<Webhooks />} />
      <Route path="notifications" element={<Inbox />} />
      <Route path="notifications/preferences" element={<Preferences />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
