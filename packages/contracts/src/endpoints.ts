/**
 * The API as data: `"METHOD /path/{param}"` (under /api/v1) → the schemas of its params, query, body and answer,
 * the same ones the server validates with. The typed client (client.ts) takes its types from here, so the
 * dashboard, the agent and the CLI break at build time when a route's shape changes.
 */
import { z } from "zod";
import * as agent from "./agent.ts";
import * as agents from "./agents.ts";
import * as alerts from "./alerts.ts";
import * as analytics from "./analytics.ts";
import * as ask from "./ask.ts";
import * as auth from "./auth.ts";
import * as templates from "./command-templates.ts";
import * as commands from "./commands.ts";
import { MessageResult } from "./common.ts";
import * as dashboard from "./dashboard.ts";
import * as devices from "./devices.ts";
import * as enrolment from "./enrolment.ts";
import * as insights from "./insights.ts";
import * as jobs from "./jobs.ts";
import * as lifecycle from "./lifecycle.ts";
import * as notifications from "./notifications.ts";
import * as permissions from "./permissions.ts";
import * as push from "./push.ts";
import * as releases from "./releases.ts";
import * as schedules from "./schedules.ts";
import * as sites from "./sites.ts";
import * as telemetry from "./telemetry.ts";
import * as tenants from "./tenants.ts";

export interface EndpointSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}

// A row of the map: what the endpoint takes besides its path's params (nothing, a query or a JSON body) and its answer.
const answers = <R extends z.ZodType>(response: R) => ({ response });
const query = <Q extends z.ZodType, R extends z.ZodType>(query: Q, response: R) => ({ query, response });
const body = <B extends z.ZodType, R extends z.ZodType>(body: B, response: R) => ({ body, response });

/** Rows whose path params one schema validates: each of them gets it as its `params`. */
function withParams<P extends z.ZodType, G extends Record<string, Omit<EndpointSchemas, "params">>>(
  params: P,
  rows: G,
) {
  return Object.fromEntries(Object.entries(rows).map(([key, row]) => [key, { params, ...row }])) as {
    [K in keyof G]: G[K] & { params: P };
  };
}

const DeviceParams = devices.DeviceParams;
const IntakeBody = z.unknown();
/** The tenants API answers a delete with 204 and no body. */
const Deleted = z.null();

export const endpoints = {
  // auth
  "POST /auth/login": body(auth.LoginBody, auth.LoginResponse),
  "POST /auth/signup": body(auth.SignupBody, auth.SignupResponse),
  "POST /auth/logout": answers(MessageResult),
  "GET /auth/me": answers(auth.MeResponse),
  "GET /auth/signup-info": answers(auth.SignupInfoResponse),
  "GET /auth/sessions": answers(auth.SessionsResponse),
  "GET /auth/tokens": query(auth.ApiTokensQuery, auth.ApiTokensResponse),
  "GET /auth/oidc/config": answers(auth.OidcConfigResponse),

  // users and invitations (admins)
  "GET /users": answers(auth.UsersResponse),
  ...withParams(auth.UserIdParams, {
    "PATCH /users/{user_id}": body(auth.UpdateUserBody, auth.UserWriteResponse),
    "POST /users/{user_id}/reset-password": body(auth.ResetPasswordBody, auth.ResetPasswordResponse),
  }),
  "GET /users/invitations": answers(auth.InvitationsResponse),
  "POST /users/invitations": body(auth.CreateInvitationBody, auth.CreateInvitationResponse),
  ...withParams(auth.InvitationIdParams, { "DELETE /users/invitations/{invitation_id}": answers(MessageResult) }),

  // the Overview's counts and series
  "GET /dashboard/summary": query(dashboard.FleetSummaryQuery, dashboard.FleetSummaryResult),

  // sites and schedules
  "GET /sites": query(sites.ListSitesQuery, sites.SiteList),
  "POST /sites": body(sites.CreateSiteBody, sites.SiteResult),
  ...withParams(sites.SiteParams, {
    "GET /sites/{site_id}": answers(sites.SiteGetResult),
    "PUT /sites/{site_id}": body(sites.UpdateSiteBody, sites.SiteResult),
    "DELETE /sites/{site_id}": query(sites.DeleteSiteQuery, MessageResult),
    "POST /sites/{site_id}/restore": answers(MessageResult),
    "POST /sites/{site_id}/devices/resume": body(lifecycle.LifecycleTransitionBody, sites.ResumeSiteDevicesResult),
    "GET /sites/{site_id}/stats": answers(sites.SiteStatsResult),
    "GET /sites/{site_id}/devices": query(devices.ListDevicesQuery, devices.DeviceList),
    "GET /sites/{site_id}/schedules": answers(schedules.ScheduleList),
    "PUT /sites/{site_id}/schedules": body(schedules.ReplaceSchedulesBody, schedules.ScheduleList),
  }),

  // devices (users)
  "GET /devices": query(devices.ListDevicesQuery, devices.DeviceList),
  "GET /devices/tags": answers(devices.DeviceTagList),
  "GET /devices/segments": answers(devices.DeviceSegmentList),
  "POST /devices/bulk": body(devices.BulkDeviceActionBody, devices.BulkDeviceActionResult),
  ...withParams(devices.SiteDeviceParams, {
    "POST /devices/sites/{site_id}/devices": body(devices.RegisterDeviceBody, devices.RegisterDeviceResult),
  }),
  ...withParams(DeviceParams, {
    "GET /devices/{device_id}": answers(devices.DeviceGetResult),
    "PUT /devices/{device_id}": body(devices.UpdateDeviceBody, devices.DeviceWriteResult),
    "DELETE /devices/{device_id}": answers(MessageResult),
    "POST /devices/{device_id}/api-key/rotate": answers(devices.RotateKeyResult),
    "DELETE /devices/{device_id}/api-key": answers(MessageResult),
    "POST /devices/{device_id}/suspend": body(lifecycle.LifecycleTransitionBody, lifecycle.LifecycleResult),
    "POST /devices/{device_id}/resume": body(lifecycle.LifecycleTransitionBody, lifecycle.LifecycleResult),
    "POST /devices/{device_id}/unpair": body(lifecycle.LifecycleTransitionBody, lifecycle.LifecycleResult),
    "POST /devices/{device_id}/reenrol": body(lifecycle.ReenrolDeviceBody, lifecycle.LifecycleResult),
    "POST /devices/{device_id}/transfer": body(lifecycle.TransferDeviceBody, lifecycle.LifecycleResult),
    "GET /devices/{device_id}/lifecycle": answers(lifecycle.DeviceLifecycleResult),
    "GET /devices/{device_id}/metrics": query(analytics.DeviceMetricsForDeviceQuery, analytics.DeviceMetricsResponse),
    "GET /devices/{device_id}/health-checks": query(
      analytics.HealthChecksForDeviceQuery,
      analytics.HealthChecksResponse,
    ),
    "GET /devices/{device_id}/state-history": query(
      analytics.DeviceStatesForDeviceQuery,
      analytics.DeviceStatesResponse,
    ),
    "GET /devices/{device_id}/config-history": query(
      analytics.ConfigHistoryForDeviceQuery,
      analytics.ConfigHistoryResponse,
    ),
  }),
  ...withParams(commands.DeviceIdParams, {
    "GET /devices/{device_id}/commands": query(commands.ListCommandsQuery, commands.CommandListResponse),
    "POST /devices/{device_id}/commands": body(commands.QueueCommandBody, commands.CommandResponse),
  }),
  ...withParams(commands.DeviceCommandParams, {
    "POST /devices/{device_id}/commands/{command_id}/cancel": answers(commands.CommandResponse),
  }),
  "GET /commands": query(templates.CommandHistoryQuery, templates.CommandHistoryResponse),
  "GET /command-templates": answers(templates.CommandTemplateList),
  "POST /command-templates": body(templates.CreateCommandTemplateBody, templates.CommandTemplateResult),
  ...withParams(templates.CommandTemplateParams, {
    "GET /command-templates/{template_id}": answers(templates.CommandTemplateRead),
    "PATCH /command-templates/{template_id}": body(
      templates.UpdateCommandTemplateBody,
      templates.CommandTemplateResult,
    ),
    "DELETE /command-templates/{template_id}": answers(MessageResult),
    "POST /command-templates/{template_id}/run": body(templates.RunCommandTemplateBody, templates.TemplateRunResult),
  }),

  // devices (the device's own key)
  ...withParams(DeviceParams, {
    "POST /devices/{device_id}/health": body(telemetry.HealthReportBody, telemetry.HealthCheckResult),
  }),
  "POST /analytics/device-metrics": body(telemetry.IngestMetricsBody, telemetry.IngestMetricsResult),
  "GET /devices/pending": answers(commands.PendingCommandsResponse),
  ...withParams(commands.CommandIdParams, {
    "POST /devices/commands/{command_id}/result": body(commands.CommandResultBody, commands.CommandResponse),
  }),
  "POST /push/ack": body(push.PushAckBody, MessageResult),
  "GET /push/pending": answers(push.PendingPushResponse),
  ...withParams(push.PushDeviceParams, {
    "POST /agents/{device_id}/push": body(push.SendPushBody, push.SendPushResponse),
    "GET /devices/device/{device_id}/push-logs": query(push.PushLogsQuery, push.PushLogsResponse),
  }),
  ...withParams(commands.DeviceCommandParams, {
    "POST /devices/{device_id}/commands/{command_id}/ack": body(commands.CommandAckBody, commands.CommandResponse),
  }),
  ...withParams(permissions.DevicePermissionsParams, {
    "GET /devices/device/{device_id}/permissions": answers(permissions.DevicePermissionsResponse),
    "PATCH /devices/device/{device_id}/permissions": body(
      permissions.UpdatePermissionsBody,
      permissions.DevicePermissionsResponse,
    ),
    "PATCH /devices/device/{device_id}/permissions/admin-override": body(
      permissions.OverridePermissionsBody,
      permissions.DevicePermissionsResponse,
    ),
  }),
  "POST /agent/heartbeat": body(agent.HeartbeatBody, agent.HeartbeatResult),
  "POST /agent/telemetry": body(agent.AgentTelemetryBody, agent.AgentTelemetryResult),
  "POST /agent/logs": body(agent.AgentLogsBody, agent.AgentLogsResult),
  "POST /agent/audit": body(agent.AgentAuditBody, agent.AgentMessageResult),
  "POST /agent/jobs": body(agent.AgentJobBody, agent.AgentJobResult),
  ...withParams(agent.AgentJobParams, {
    "PUT /agent/jobs/{job_id}": body(agent.AgentJobUpdateBody, agent.AgentMessageResult),
  }),
  "POST /agent/config-history": body(agent.AgentConfigHistoryBody, agent.AgentMessageResult),

  // what a device reported, for the device page
  ...withParams(DeviceParams, {
    "GET /devices/{device_id}/logs": query(agent.DeviceLogsQuery, agent.DeviceLogsResponse),
    "GET /devices/{device_id}/device-jobs": query(agent.DeviceJobsQuery, agent.DeviceJobsResponse),
    "GET /devices/{device_id}/audit-logs": query(analytics.AuditLogsQuery, analytics.AuditLogsResponse),
  }),

  // release repository (chunks go as raw bytes: PATCH /releases/uploads/{upload_id}, not through this map)
  "GET /releases": query(releases.ListReleasesQuery, releases.ReleaseListResponse),
  "GET /releases/public-key": answers(releases.ReleaseKeyResponse),
  "GET /releases/versions": query(releases.VersionDistributionQuery, releases.VersionDistributionResponse),
  "POST /releases/uploads": body(releases.CreateUploadBody, releases.UploadResponse),
  ...withParams(releases.UploadParams, {
    "GET /releases/uploads/{upload_id}": answers(releases.UploadGetResponse),
    "POST /releases/uploads/{upload_id}/complete": answers(releases.ReleaseWriteResponse),
  }),
  ...withParams(releases.ReleaseParams, {
    "GET /releases/{release_id}": answers(releases.ReleaseGetResponse),
    "POST /releases/{release_id}/deprecate": answers(releases.ReleaseWriteResponse),
    "DELETE /releases/{release_id}": answers(MessageResult),
  }),

  // jobs
  "GET /jobs": query(jobs.ListJobsQuery, jobs.JobListResponse),
  "POST /jobs": body(jobs.CreateJobBody, jobs.JobWriteResponse),
  ...withParams(jobs.JobParams, {
    "GET /jobs/{job_id}": answers(jobs.JobDetailResponse),
    "POST /jobs/{job_id}/cancel": answers(jobs.JobWriteResponse),
  }),

  // analytics (admin lists; intake for every signed-in user)
  "GET /analytics/requests": query(analytics.ApiRequestsQuery, analytics.ApiRequestsResponse),
  "GET /analytics/errors": query(analytics.ErrorLogsQuery, analytics.ErrorLogsResponse),
  ...withParams(analytics.ErrorIdParams, {
    "PATCH /analytics/errors/{id}": body(analytics.ResolveErrorBody, analytics.ResolveErrorResult),
  }),
  "GET /analytics/user-activities": query(analytics.UserActivitiesQuery, analytics.UserActivitiesResponse),
  "GET /analytics/audit-logs": query(analytics.AuditLogsQuery, analytics.AuditLogsResponse),
  "GET /analytics/jobs": query(analytics.JobOutcomesQuery, analytics.JobOutcomesResponse),
  "GET /analytics/device-metrics/summary": query(
    analytics.DeviceMetricsSummaryQuery,
    analytics.DeviceMetricsSummaryResponse,
  ),
  "GET /analytics/requests/summary": query(analytics.ApiRequestsSummaryQuery, analytics.ApiRequestsSummaryResponse),
  "GET /analytics/validation": query(analytics.ValidationQuery, analytics.ValidationResponse),
  "POST /analytics/user-activity": body(IntakeBody, analytics.IntakeResult),
  "POST /analytics/errors": body(IntakeBody, analytics.IntakeResult),

  // insights
  ...withParams(insights.DeviceParams, {
    "GET /ai/insights/device/{device_id}": query(insights.HealthQuery, insights.DeviceInsightsResponse),
    "GET /ai/predictions/failure/{device_id}": query(insights.FailureQuery, insights.FailurePredictionResponse),
  }),
  ...withParams(insights.SiteParams, {
    "GET /ai/insights/site/{site_id}": query(insights.HealthQuery, insights.SiteInsightsResponse),
    "GET /ai/recommendations/optimal-windows/{site_id}": query(insights.WindowsQuery, insights.OptimalWindowsResponse),
  }),
  "GET /ai/predictions/at-risk-devices": query(insights.AtRiskQuery, insights.AtRiskResponse),
  "POST /ai/recommendations/schedule-job": body(insights.ScheduleJobBody, insights.ScheduleJobResponse),
  "POST /ai/recommendations/success-probability": body(
    insights.SuccessProbabilityBody,
    insights.SuccessProbabilityResponse,
  ),
  "GET /ai/anomalies": query(insights.AnomaliesQuery, insights.AnomaliesResponse),
  "GET /ai/anomalies/live": query(insights.LiveAnomaliesQuery, insights.LiveAnomaliesResponse),
  ...withParams(alerts.AlertParams, { "PUT /ai/alerts/{id}/resolve": answers(insights.ResolveAlertResponse) }),
  "GET /ai/error-patterns": query(insights.ErrorPatternsQuery, insights.ErrorPatternsResponse),
  "GET /ai/health-forecast": query(insights.ForecastQuery, insights.HealthForecastResponse),
  "GET /ai/status": answers(insights.InsightsStatusResponse),

  // Ask HOMEPOT
  "POST /ai/query": body(ask.AskQueryBody, ask.AskQueryResponse),
  "GET /ai/query/history": query(ask.AskHistoryQuery, ask.AskHistoryResponse),
  "GET /ai/query/suggestions": query(ask.AskSuggestionsQuery, ask.AskSuggestionsResponse),

  // alerts
  "GET /alerts": query(alerts.ListAlertsQuery, alerts.AlertList),
  "GET /alerts/counts": query(alerts.AlertCountsQuery, alerts.AlertCountsResponse),
  ...withParams(alerts.AlertParams, {
    "GET /alerts/{id}": answers(alerts.AlertGetResult),
    "POST /alerts/{id}/acknowledge": body(alerts.AlertNoteBody.nullish(), alerts.AlertResult),
    "POST /alerts/{id}/resolve": body(alerts.AlertNoteBody.nullish(), alerts.AlertResult),
  }),
  "GET /alerts/rules": answers(alerts.AlertRuleList),
  "POST /alerts/rules": body(alerts.CreateAlertRuleBody, alerts.AlertRuleResult),
  ...withParams(alerts.AlertRuleParams, {
    "PUT /alerts/rules/{id}": body(alerts.UpdateAlertRuleBody, alerts.AlertRuleResult),
    "DELETE /alerts/rules/{id}": answers(MessageResult),
  }),
  "POST /agent/alert": body(alerts.AgentAlertBody, alerts.AgentAlertResponse),

  // onboarding: enrolment intents (claim tokens), site bootstrap keys, approval, device DNA (issue 14)
  ...withParams(sites.SiteParams, {
    "GET /sites/{site_id}/enrolment-intents": query(enrolment.ListIntentsQuery, enrolment.IntentList),
    "POST /sites/{site_id}/enrolment-intents": body(enrolment.CreateIntentBody, enrolment.CreateIntentResult),
    "POST /sites/{site_id}/bootstrap-key": body(enrolment.BootstrapKeyBody, enrolment.BootstrapKeyResult),
    "DELETE /sites/{site_id}/bootstrap-key": answers(enrolment.BootstrapRevokeResult),
  }),
  ...withParams(enrolment.IntentParams, {
    "GET /sites/{site_id}/enrolment-intents/{intent_id}": answers(enrolment.IntentGetResult),
    "PUT /sites/{site_id}/enrolment-intents/{intent_id}": body(
      enrolment.DecideIntentBody,
      enrolment.DecideIntentResult,
    ),
    "POST /sites/{site_id}/enrolment-intents/{intent_id}/regenerate-token": body(
      enrolment.RegenerateTokenBody,
      enrolment.RegenerateTokenResult,
    ),
  }),
  ...withParams(enrolment.ClaimParams, {
    "POST /enrolment-intents/{intent_id}/claim": body(enrolment.ClaimBody, enrolment.ClaimResult),
  }),
  "POST /devices/bootstrap-provision": body(enrolment.BootstrapProvisionBody, enrolment.BootstrapProvisionResult),
  "POST /devices/verify-bootstrap": body(enrolment.VerifyBootstrapBody, enrolment.VerifyBootstrapResult),
  "POST /devices/check-name": body(enrolment.CheckNameBody, enrolment.CheckNameResult),
  ...withParams(DeviceParams, {
    "POST /devices/{device_id}/approve": body(enrolment.DecideDeviceBody, devices.DeviceWriteResult),
    "POST /devices/{device_id}/reject": body(enrolment.DecideDeviceBody, devices.DeviceWriteResult),
    "GET /agents/{device_id}": answers(agents.AgentResult),
  }),
  "POST /agent/device-dna": body(agents.DeviceDnaBody, agents.DeviceDnaResult),
  "GET /agents": query(agents.AgentsQuery, agents.AgentList),

  // notification channels and deliveries
  "GET /alerts/channels": answers(notifications.ChannelList),
  "POST /alerts/channels": body(notifications.CreateChannelBody, notifications.ChannelResult),
  ...withParams(notifications.ChannelParams, {
    "PUT /alerts/channels/{id}": body(notifications.UpdateChannelBody, notifications.ChannelResult),
    "DELETE /alerts/channels/{id}": answers(MessageResult),
    "POST /alerts/channels/{id}/test": answers(notifications.TestNotificationResult),
  }),
  "GET /alerts/deliveries": query(notifications.ListDeliveriesQuery, notifications.DeliveryList),
  ...withParams(notifications.DeliveryParams, {
    "POST /alerts/deliveries/{id}/retry": answers(notifications.DeliveryResult),
  }),

  // tenants and memberships (the original HOMEPOT's shapes)
  "GET /tenants": query(tenants.TenantsQuery, tenants.TenantsResponse),
  "POST /tenants": body(tenants.CreateTenantBody, tenants.TenantSchema),
  "GET /tenants/me/memberships": answers(tenants.MyMembershipsResponse),
  ...withParams(tenants.TenantIdParams, {
    "GET /tenants/{tenant_id}": answers(tenants.TenantSchema),
    "PUT /tenants/{tenant_id}": body(tenants.UpdateTenantBody, tenants.TenantSchema),
    "DELETE /tenants/{tenant_id}": answers(Deleted),
    "GET /tenants/{tenant_id}/users": answers(tenants.TenantUsersResponse),
    "GET /tenants/{tenant_id}/members": answers(tenants.TenantMembershipsResponse),
    "POST /tenants/{tenant_id}/members": body(tenants.MembershipBody, tenants.TenantMembershipSchema),
  }),
  ...withParams(tenants.TenantMemberParams, {
    "PUT /tenants/{tenant_id}/members/{membership_id}": body(
      tenants.MembershipRoleBody,
      tenants.TenantMembershipSchema,
    ),
    "DELETE /tenants/{tenant_id}/members/{membership_id}": answers(Deleted),
  }),
  ...withParams(tenants.TenantSiteParams, {
    "GET /tenants/{tenant_id}/sites/{site_id}/members": answers(tenants.SiteMembershipsResponse),
    "POST /tenants/{tenant_id}/sites/{site_id}/members": body(tenants.MembershipBody, tenants.SiteMembershipSchema),
  }),
  ...withParams(tenants.SiteMemberParams, {
    "PUT /tenants/{tenant_id}/sites/{site_id}/members/{membership_id}": body(
      tenants.MembershipRoleBody,
      tenants.SiteMembershipSchema,
    ),
    "DELETE /tenants/{tenant_id}/sites/{site_id}/members/{membership_id}": answers(Deleted),
  }),
} satisfies Record<string, EndpointSchemas>;

export type Endpoints = typeof endpoints;
export type EndpointKey = keyof Endpoints;
