export { DeploymentsPanel } from "./DeploymentsPanel";
export { PublishButton } from "./PublishButton";
