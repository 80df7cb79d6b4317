// The redeem confirmation: nothing is sent before Confirm; Cancel sends nothing; a refusal
// shows its message next to the course; a success shows the redemption.
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { CombinedError, Provider, type Client } from "urql";
import { fromValue, never } from "wonka";
import { beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { RedeemCourses, type RedeemableCourse } from "./Redeem";

const learner = { id: "learner-1", displayName: "王老师" };
const courses: RedeemableCourse[] = [
  { code: "PE-TRWM", name: "教研工作管理", credits: "3.00", status: "ACTIVE" },
  { code: "PE-CGADO", name: "幼儿游戏活动设计与组织", credits: "2.5", status: "REDEEMED" },
];

function clientAnswering(answer: () => unknown) {
  const executeMutation = vi.fn(() => fromValue(answer()));
  const client = {
    executeMutation,
    executeQuery: vi.fn(() => never),
    executeSubscription: vi.fn(() => never),
  } as unknown as Client;
  return { client, executeMutation };
}

function show(client: Client, onRedeemed = vi.fn()) {
  render(
    <Provider value={client}>
      <MemoryRouter>
        <RedeemCourses learner={learner} courses={courses} offersAny onRedeemed={onRedeemed} />
      </MemoryRouter>
    </Provider>,
  );
  return onRedeemed;
}

describe("redeeming a learner's credits", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });

  it("asks first and sends nothing before Confirm, nor after Cancel", async () => {
    const user = userEvent.setup();
    const { client, executeMutation } = clientAnswering(() => ({ data: null }));
    show(client);
    await user.click(screen.getByRole("button", { name: "Redeem credits of 教研工作管理" }));
    expect(screen.getByText("Redeem 3.0 credits of 教研工作管理 for 王老师?")).toBeInTheDocument();
    expect(executeMutation).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByText(/Redeem 3.0 credits/)).not.toBeInTheDocument();
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it("redeems on Confirm and shows the redemption", async () => {
    const user = userEvent.setup();
    const { client, executeMutation } = clientAnswering(() => ({
      data: {
        redeemCredits: {
          __typename: "Redemption",
          id: "r1",
          courseCode: "PE-TRWM",
          credits: "3.0",
          redeemedAt: "2026-12-01T08:00:00Z",
          reversedAt: null,
        },
      },
    }));
    const onRedeemed = show(client);
    await user.click(screen.getByRole("button", { name: "Redeem credits of 教研工作管理" }));
    await user.click(screen.getByRole("button", { name: "Confirm" }));
    expect(executeMutation).toHaveBeenCalledTimes(1);
    const [operation] = executeMutation.mock.calls[0] as unknown as [{ variables: unknown }];
    expect(operation.variables).toEqual({ learnerId: "learner-1", courseCode: "PE-TRWM" });
    expect(await screen.findByText(/Redeemed 3.0 credits of 教研工作管理/)).toBeInTheDocument();
    expect(onRedeemed).toHaveBeenCalled();
  });

  it("shows a refusal with its message next to the course", async () => {
    const user = userEvent.setup();
    const { client } = clientAnswering(() => ({
      error: new CombinedError({
        graphQLErrors: [
          {
            message: "the credits for course PE-CGADO were already redeemed",
            extensions: { code: "CONFLICT", field: "courseCode" },
          },
        ],
      }),
    }));
    const onRedeemed = show(client);
    await user.click(screen.getByRole("button", { name: "Redeem credits of 幼儿游戏活动设计与组织" }));
    expect(screen.getByText("Redeem 2.5 credits of 幼儿游戏活动设计与组织 for 王老师?")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Confirm" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("the credits for course PE-CGADO were already redeemed");
    expect(screen.getByTestId("redeem-PE-CGADO")).toContainElement(alert);
    expect(onRedeemed).not.toHaveBeenCalled();
  });

  it("asks in Chinese when the reader reads Chinese", async () => {
    await i18n.changeLanguage("zh-CN");
    const user = userEvent.setup();
    const { client, executeMutation } = clientAnswering(() => ({ data: null }));
    show(client);
    await user.click(screen.getByRole("button", { name: "兑换学分：教研工作管理" }));
    expect(screen.getByText("为王老师兑换「教研工作管理」的 3.0 学分？")).toBeInTheDocument();
    expect(executeMutation).not.toHaveBeenCalled();
  });
});
