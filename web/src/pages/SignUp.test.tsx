import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import SignIn from "./SignIn";
import SignUp from "./SignUp";

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function renderAt(path: string) {
  render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/sign-up" element={<SignUp />} />
        <Route path="/sign-in" element={<SignIn />} />
        <Route path="/learner" element={<p>learner home</p>} />
        <Route path="/reviewer" element={<p>reviewer home</p>} />
      </Routes>
    </MemoryRouter>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("opening an account", () => {
  it("shows the gateway's refusal under the field it names, in the language chosen", async () => {
    await i18n.changeLanguage("zh-CN");
    const fetch = vi.fn(async () =>
      answer(400, { error: "密码 至少需要 10 个字符", code: "BAD_USER_INPUT", field: "password" }),
    );
    vi.stubGlobal("fetch", fetch);
    renderAt("/sign-up");
    await userEvent.type(screen.getByLabelText("姓名"), "王老师");
    await userEvent.type(screen.getByLabelText("电子邮箱"), "wang@example.com");
    await userEvent.type(screen.getByLabelText("密码"), "short");
    await userEvent.click(screen.getByRole("button", { name: "开立我的账户" }));

    const password = screen.getByLabelText("密码");
    expect(await screen.findByText("密码 至少需要 10 个字符")).toBeInTheDocument();
    expect(password).toHaveAttribute("aria-invalid", "true");
    expect(password).toHaveAccessibleDescription(expect.stringContaining("密码 至少需要 10 个字符"));
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>)["Accept-Language"]).toBe("zh-CN");
    expect(JSON.parse(init.body as string)).toEqual({
      email: "wang@example.com",
      password: "short",
      displayName: "王老师",
    });
  });

  it("takes a new learner to their account", async () => {
    await i18n.changeLanguage("en");
    const token = `x.${btoa(JSON.stringify({ exp: Date.now() / 1000 + 900 }))}.y`;
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => answer(200, { token, account: { id: "a1", role: "LEARNER", displayName: "Wang" } })),
    );
    renderAt("/sign-up");
    await userEvent.type(screen.getByLabelText("Your name"), "Wang");
    await userEvent.type(screen.getByLabelText("Email"), "wang@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "a-long-enough-password");
    await userEvent.click(screen.getByRole("button", { name: "Open my account" }));
    expect(await screen.findByText("learner home")).toBeInTheDocument();
  });
});

describe("signing in", () => {
  it("shows a refusal that names no field above the button, and goes to the role's home", async () => {
    await i18n.changeLanguage("en");
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => answer(401, { error: "wrong email or password", code: "UNAUTHENTICATED", field: null })),
    );
    renderAt("/sign-in");
    await userEvent.type(screen.getByLabelText("Email"), "r@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "not-the-password");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("wrong email or password");

    const token = `x.${btoa(JSON.stringify({ exp: Date.now() / 1000 + 900 }))}.y`;
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => answer(200, { token, account: { id: "r1", role: "REVIEWER", displayName: "Li" } })),
    );
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("reviewer home")).toBeInTheDocument();
  });
});
