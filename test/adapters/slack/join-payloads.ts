import { type FakeSlackUser, slackUserObject } from "../../fakes/slack-api.ts";

/** Realistic Slack payloads of joins and Home tab buttons (ids in Slack's forms, Musterstadt's people). */
export const TEAM = "T0MUSTER1";
export const BOT_USER = "U0LOTSE01";

export const ERIKA: FakeSlackUser = {
  id: "U0ERIKA01",
  name: "erika.mustermann",
  real_name: "Erika Mustermann",
  email: "erika.mustermann@musterstadt.de",
};

/** An app's bot user (another integration installed in the workspace). */
export const OTHER_BOT: FakeSlackUser = {
  id: "U0JIRABOT1",
  name: "jira",
  real_name: "Jira Cloud",
  is_bot: true,
};

/** The Events API envelope Slack wraps an event in. */
export function envelope(event: Record<string, unknown>, eventId: string): Record<string, unknown> {
  return {
    token: "XXYYZZ",
    team_id: TEAM,
    api_app_id: "A0LOTSE01",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: 1764068400,
    authorizations: [
      { enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: "4-eyJldCI6InRlYW1fam9pbiIsInRpZCI6IlQwTVVTVEVSMSJ9",
  };
}

/** team_join: a new member of the workspace (their email only with users:read.email). */
export function teamJoin(user: FakeSlackUser): Record<string, unknown> {
  return {
    type: "team_join",
    user: slackUserObject(user, TEAM),
    cache_ts: 1764068400,
    event_ts: "1764068400.000200",
  };
}

/** member_joined_channel: `user` joined #nachhaltigkeit, added by the coordinator. */
export function memberJoined(user: string, channel = "C0NACHHALT"): Record<string, unknown> {
  return {
    type: "member_joined_channel",
    user,
    channel,
    channel_type: "C",
    team: TEAM,
    inviter: "U0KOORD001",
    event_ts: "1764068460.000300",
  };
}

/** block_actions of a button on the Home tab: no channel, no message, no response_url; the view it was on. */
export function homeAction(
  actionId: string,
  value: string,
  privateMetadata: string,
  user = ERIKA.id,
): Record<string, unknown> {
  return {
    type: "block_actions",
    user: { id: user, username: "erika.mustermann", name: "erika.mustermann", team_id: TEAM },
    api_app_id: "A0LOTSE01",
    token: "9s8d9as89d8as9d8as989",
    container: { type: "view", view_id: "V0HOMEERIKA" },
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
    team: { id: TEAM, domain: "musterstadt" },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: "V0HOMEERIKA",
      team_id: TEAM,
      type: "home",
      blocks: [],
      private_metadata: privateMetadata,
      callback_id: "",
      state: { values: {} },
      hash: "1764068500.a1b2c3d4",
      title: { type: "plain_text", text: "View Title", emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: "V0HOMEERIKA",
      app_id: "A0LOTSE01",
      external_id: "",
      app_installed_team_id: TEAM,
      bot_id: "B0LOTSE01",
    },
    actions: [
      {
        action_id: actionId,
        block_id: "card_actions",
        text: { type: "plain_text", text: "Onboarding fortsetzen", emoji: true },
        value,
        type: "button",
        action_ts: "1764068520.123456",
      },
    ],
  };
}
