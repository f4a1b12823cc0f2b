import { startSlackDriver } from "../fakes/slack-driver.ts";
import { runScenarios } from "./conversation.scenarios.ts";
import { runFeedbackScenarios } from "./feedback.scenarios.ts";
import { runOnboardingScenarios } from "./onboarding.scenarios.ts";
import { runReminderScenarios } from "./reminders.scenarios.ts";

// The neutral scenarios through Slack: signed events and interactivity to a real Lotse, the fake Web API behind it.
runScenarios("slack", startSlackDriver);
runReminderScenarios("slack", startSlackDriver);
runOnboardingScenarios("slack", startSlackDriver);
runFeedbackScenarios("slack", startSlackDriver);
