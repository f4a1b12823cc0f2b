import { startTeamsDriver } from "../fakes/teams-driver.ts";
import { runScenarios } from "./conversation.scenarios.ts";
import { runFeedbackScenarios } from "./feedback.scenarios.ts";
import { runOnboardingScenarios } from "./onboarding.scenarios.ts";
import { runReminderScenarios } from "./reminders.scenarios.ts";

// The neutral scenarios through Teams: activities to a real Lotse in the local-trial mode, the fake Bot Connector.
runScenarios("teams", startTeamsDriver);
runReminderScenarios("teams", startTeamsDriver);
runOnboardingScenarios("teams", startTeamsDriver);
runFeedbackScenarios("teams", startTeamsDriver);
