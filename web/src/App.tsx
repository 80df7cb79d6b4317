import { lazy, useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Route, Routes } from "react-router";
import { Provider } from "urql";
import { createApi, type Api } from "./api/client";
import { resume } from "./api/session";
import Home from "./pages/Home";
import NotFound from "./pages/NotFound";
import SignIn from "./pages/SignIn";
import SignUp from "./pages/SignUp";
import { ApiContext } from "./ui/api";
import { Layout } from "./ui/Layout";
import { RequireRole } from "./ui/RequireRole";
import { ToastProvider } from "./ui/toasts";

const LearnerArea = lazy(() => import("./learner/Area"));
const ReviewerArea = lazy(() => import("./reviewer/Area"));
const InstitutionArea = lazy(() => import("./institution/Area"));
const AdminArea = lazy(() => import("./admin/Area"));
const Verify = lazy(() => import("./credentials/Verify"));

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="sign-in" element={<SignIn />} />
        <Route path="sign-up" element={<SignUp />} />
        <Route path="verify" element={<Verify />} />
        <Route path="learner/*" element={<RequireRole roles={["LEARNER"]}><LearnerArea /></RequireRole>} />
        <Route path="reviewer/*" element={<RequireRole roles={["REVIEWER", "ADMIN"]}><ReviewerArea /></RequireRole>} />
        <Route path="institution/*" element={<RequireRole roles={["INSTITUTION"]}><InstitutionArea /></RequireRole>} />
        <Route path="admin/*" element={<RequireRole roles={["ADMIN"]}><AdminArea /></RequireRole>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export default function App({ api: given }: { api?: Api }) {
  const api = useMemo(() => given ?? createApi(), [given]);
  const { i18n } = useTranslation();
  useEffect(() => {
    void resume();
  }, []);
  useEffect(() => {
    // names and refusals come in the language asked: ask again in the new one
    const changed = () => api.refetchAll();
    i18n.on("languageChanged", changed);
    return () => i18n.off("languageChanged", changed);
  }, [api, i18n]);
  return (
    <ApiContext.Provider value={api}>
      <Provider value={api.client}>
        <ToastProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </ToastProvider>
      </Provider>
    </ApiContext.Provider>
  );
}
