import { act, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { connectionLost } from "../api/connection";
import i18n from "../i18n";
import { ConnectionBanner } from "./ConnectionBanner";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

it("shows a banner while the gateway cannot be reached, and takes it away by itself", async () => {
  await i18n.changeLanguage("en");
  vi.useFakeTimers();
  let up = false;
  const probe = vi.fn(async () => (up ? new Response("ok") : Promise.reject(new TypeError("Failed to fetch"))));
  vi.stubGlobal("fetch", probe);
  render(<ConnectionBanner />);
  expect(screen.queryByRole("alert")).toBeNull();

  act(() => connectionLost());
  expect(screen.getByRole("alert")).toHaveTextContent("The connection to the credit bank is lost");
  await act(() => vi.advanceTimersByTimeAsync(4100));
  expect(probe).toHaveBeenCalledWith("/healthz", expect.anything());
  expect(screen.getByRole("alert")).toBeInTheDocument(); // still away

  up = true;
  await act(() => vi.advanceTimersByTimeAsync(2100));
  expect(screen.queryByRole("alert")).toBeNull();
});
