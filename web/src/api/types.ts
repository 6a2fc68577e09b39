// Names for the generated schema's types, so features do not depend on how the
// backend names its pydantic models.
import type { components } from "./schema";

type Schemas = components["schemas"];

export type User = Schemas["UserRead"];
export type Theme = User["theme"];
export type ApiKey = Schemas["ApiKeyRead"];
export type ApiKeyCreated = Schemas["ApiKeyCreated"];
export type Template = Schemas["TemplateRead"];
export type TemplateId = Template["id"];
export type Project = Schemas["ProjectRead"];
export type ProjectPage = Schemas["ProjectPage"];
export type EnvVar = Schemas["EnvVarRead"];
export type OutboxEmail = Schemas["OutboxMail"];
export type Deployment = Schemas["DeploymentRead"];
export type DeploymentStatus = Deployment["status"];
export type DeployStatus = Schemas["DeployStatus"];
