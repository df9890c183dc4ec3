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

const DeviceParams = devices.DeviceParams;
const IntakeBody = z.unknown();
const lifecycleCall = <B extends z.ZodType>(body: B) =>
  ({ params: DeviceParams, body, response: lifecycle.LifecycleResult }) as const;

export const endpoints = {
  // auth
  "POST /auth/login": { body: auth.LoginBody, response: auth.LoginResponse },
  "POST /auth/signup": { body: auth.SignupBody, response: auth.SignupResponse },
  "POST /auth/logout": { response: MessageResult },
  "GET /auth/me": { response: auth.MeResponse },
  "GET /auth/signup-info": { response: auth.SignupInfoResponse },
  "GET /auth/sessions": { response: auth.SessionsResponse },
  "GET /auth/tokens": { query: auth.ApiTokensQuery, response: auth.ApiTokensResponse },
  "GET /auth/oidc/config": { response: auth.OidcConfigResponse },

  // users and invitations (admins)
  "GET /users": { response: auth.UsersResponse },
  "PATCH /users/{user_id}": { params: auth.UserIdParams, body: auth.UpdateUserBody, response: auth.UserWriteResponse },
  "POST /users/{user_id}/reset-password": {
    params: auth.UserIdParams,
    body: auth.ResetPasswordBody,
    response: auth.ResetPasswordResponse,
  },
  "GET /users/invitations": { response: auth.InvitationsResponse },
  "POST /users/invitations": { body: auth.CreateInvitationBody, response: auth.CreateInvitationResponse },
  "DELETE /users/invitations/{invitation_id}": { params: auth.InvitationIdParams, response: MessageResult },

  // the Overview's counts and series
  "GET /dashboard/summary": { query: dashboard.FleetSummaryQuery, response: dashboard.FleetSummaryResult },

  // sites and schedules
  "GET /sites": { query: sites.ListSitesQuery, response: sites.SiteList },
  "POST /sites": { body: sites.CreateSiteBody, response: sites.SiteResult },
  "GET /sites/{site_id}": { params: sites.SiteParams, response: sites.SiteGetResult },
  "PUT /sites/{site_id}": { params: sites.SiteParams, body: sites.UpdateSiteBody, response: sites.SiteResult },
  "DELETE /sites/{site_id}": { params: sites.SiteParams, query: sites.DeleteSiteQuery, response: MessageResult },
  "POST /sites/{site_id}/restore": { params: sites.SiteParams, response: MessageResult },
  "POST /sites/{site_id}/devices/resume": {
    params: sites.SiteParams,
    body: lifecycle.LifecycleTransitionBody,
    response: sites.ResumeSiteDevicesResult,
  },
  "GET /sites/{site_id}/stats": { params: sites.SiteParams, response: sites.SiteStatsResult },
  "GET /sites/{site_id}/devices": {
    params: sites.SiteParams,
    query: devices.ListDevicesQuery,
    response: devices.DeviceList,
  },
  "GET /sites/{site_id}/schedules": { params: sites.SiteParams, response: schedules.ScheduleList },
  "PUT /sites/{site_id}/schedules": {
    params: sites.SiteParams,
    body: schedules.ReplaceSchedulesBody,
    response: schedules.ScheduleList,
  },

  // devices (users)
  "GET /devices": { query: devices.ListDevicesQuery, response: devices.DeviceList },
  "GET /devices/tags": { response: devices.DeviceTagList },
  "GET /devices/segments": { response: devices.DeviceSegmentList },
  "GET /devices/{device_id}": { params: DeviceParams, response: devices.DeviceGetResult },
  "PUT /devices/{device_id}": {
    params: DeviceParams,
    body: devices.UpdateDeviceBody,
    response: devices.DeviceWriteResult,
  },
  "DELETE /devices/{device_id}": { params: DeviceParams, response: MessageResult },
  "POST /devices/sites/{site_id}/devices": {
    params: devices.SiteDeviceParams,
    body: devices.RegisterDeviceBody,
    response: devices.RegisterDeviceResult,
  },
  "POST /devices/{device_id}/api-key/rotate": { params: DeviceParams, response: devices.RotateKeyResult },
  "DELETE /devices/{device_id}/api-key": { params: DeviceParams, response: MessageResult },
  "POST /devices/bulk": { body: devices.BulkDeviceActionBody, response: devices.BulkDeviceActionResult },
  "POST /devices/{device_id}/suspend": lifecycleCall(lifecycle.LifecycleTransitionBody),
  "POST /devices/{device_id}/resume": lifecycleCall(lifecycle.LifecycleTransitionBody),
  "POST /devices/{device_id}/unpair": lifecycleCall(lifecycle.LifecycleTransitionBody),
  "POST /devices/{device_id}/reenrol": lifecycleCall(lifecycle.ReenrolDeviceBody),
  "POST /devices/{device_id}/transfer": lifecycleCall(lifecycle.TransferDeviceBody),
  "GET /devices/{device_id}/lifecycle": { params: DeviceParams, response: lifecycle.DeviceLifecycleResult },
  "GET /devices/{device_id}/metrics": {
    params: DeviceParams,
    query: analytics.DeviceMetricsForDeviceQuery,
    response: analytics.DeviceMetricsResponse,
  },
  "GET /devices/{device_id}/health-checks": {
    params: DeviceParams,
    query: analytics.HealthChecksForDeviceQuery,
    response: analytics.HealthChecksResponse,
  },
  "GET /devices/{device_id}/state-history": {
    params: DeviceParams,
    query: analytics.DeviceStatesForDeviceQuery,
    response: analytics.DeviceStatesResponse,
  },
  "GET /devices/{device_id}/config-history": {
    params: DeviceParams,
    query: analytics.ConfigHistoryForDeviceQuery,
    response: analytics.ConfigHistoryResponse,
  },
  "GET /devices/{device_id}/commands": {
    params: commands.DeviceIdParams,
    query: commands.ListCommandsQuery,
    response: commands.CommandListResponse,
  },
  "POST /devices/{device_id}/commands": {
    params: commands.DeviceIdParams,
    body: commands.QueueCommandBody,
    response: commands.CommandResponse,
  },
  "POST /devices/{device_id}/commands/{command_id}/cancel": {
    params: commands.DeviceCommandParams,
    response: commands.CommandResponse,
  },
  "GET /commands": { query: templates.CommandHistoryQuery, response: templates.CommandHistoryResponse },
  "GET /command-templates": { response: templates.CommandTemplateList },
  "POST /command-templates": { body: templates.CreateCommandTemplateBody, response: templates.CommandTemplateResult },
  "GET /command-templates/{template_id}": {
    params: templates.CommandTemplateParams,
    response: templates.CommandTemplateRead,
  },
  "PATCH /command-templates/{template_id}": {
    params: templates.CommandTemplateParams,
    body: templates.UpdateCommandTemplateBody,
    response: templates.CommandTemplateResult,
  },
  "DELETE /command-templates/{template_id}": { params: templates.CommandTemplateParams, response: MessageResult },
  "POST /command-templates/{template_id}/run": {
    params: templates.CommandTemplateParams,
    body: templates.RunCommandTemplateBody,
    response: templates.TemplateRunResult,
  },

  // devices (the device's own key)
  "POST /devices/{device_id}/health": {
    params: DeviceParams,
    body: telemetry.HealthReportBody,
    response: telemetry.HealthCheckResult,
  },
  "POST /analytics/device-metrics": { body: telemetry.IngestMetricsBody, response: telemetry.IngestMetricsResult },
  "GET /devices/pending": { response: commands.PendingCommandsResponse },
  "POST /devices/commands/{command_id}/result": {
    params: commands.CommandIdParams,
    body: commands.CommandResultBody,
    response: commands.CommandResponse,
  },
  "POST /push/ack": { body: push.PushAckBody, response: MessageResult },
  "GET /push/pending": { response: push.PendingPushResponse },
  "POST /agents/{device_id}/push": {
    params: push.PushDeviceParams,
    body: push.SendPushBody,
    response: push.SendPushResponse,
  },
  "GET /devices/device/{device_id}/push-logs": {
    params: push.PushDeviceParams,
    query: push.PushLogsQuery,
    response: push.PushLogsResponse,
  },
  "POST /devices/{device_id}/commands/{command_id}/ack": {
    params: commands.DeviceCommandParams,
    body: commands.CommandAckBody,
    response: commands.CommandResponse,
  },
  "GET /devices/device/{device_id}/permissions": {
    params: permissions.DevicePermissionsParams,
    response: permissions.DevicePermissionsResponse,
  },
  "PATCH /devices/device/{device_id}/permissions": {
    params: permissions.DevicePermissionsParams,
    body: permissions.UpdatePermissionsBody,
    response: permissions.DevicePermissionsResponse,
  },
  "PATCH /devices/device/{device_id}/permissions/admin-override": {
    params: permissions.DevicePermissionsParams,
    body: permissions.OverridePermissionsBody,
    response: permissions.DevicePermissionsResponse,
  },
  "POST /agent/heartbeat": { body: agent.HeartbeatBody, response: agent.HeartbeatResult },
  "POST /agent/telemetry": { body: agent.AgentTelemetryBody, response: agent.AgentTelemetryResult },
  "POST /agent/logs": { body: agent.AgentLogsBody, response: agent.AgentLogsResult },
  "POST /agent/audit": { body: agent.AgentAuditBody, response: agent.AgentMessageResult },
  "POST /agent/jobs": { body: agent.AgentJobBody, response: agent.AgentJobResult },
  "PUT /agent/jobs/{job_id}": {
    params: agent.AgentJobParams,
    body: agent.AgentJobUpdateBody,
    response: agent.AgentMessageResult,
  },
  "POST /agent/config-history": { body: agent.AgentConfigHistoryBody, response: agent.AgentMessageResult },

  // what a device reported, for the device page
  "GET /devices/{device_id}/logs": {
    params: DeviceParams,
    query: agent.DeviceLogsQuery,
    response: agent.DeviceLogsResponse,
  },
  "GET /devices/{device_id}/device-jobs": {
    params: DeviceParams,
    query: agent.DeviceJobsQuery,
    response: agent.DeviceJobsResponse,
  },
  "GET /devices/{device_id}/audit-logs": {
    params: DeviceParams,
    query: analytics.AuditLogsQuery,
    response: analytics.AuditLogsResponse,
  },

  // release repository (chunks go as raw bytes: PATCH /releases/uploads/{upload_id}, not through this map)
  "GET /releases": { query: releases.ListReleasesQuery, response: releases.ReleaseListResponse },
  "GET /releases/public-key": { response: releases.ReleaseKeyResponse },
  "GET /releases/versions": {
    query: releases.VersionDistributionQuery,
    response: releases.VersionDistributionResponse,
  },
  "POST /releases/uploads": { body: releases.CreateUploadBody, response: releases.UploadResponse },
  "GET /releases/uploads/{upload_id}": { params: releases.UploadParams, response: releases.UploadGetResponse },
  "POST /releases/uploads/{upload_id}/complete": {
    params: releases.UploadParams,
    response: releases.ReleaseWriteResponse,
  },
  "GET /releases/{release_id}": { params: releases.ReleaseParams, response: releases.ReleaseGetResponse },
  "POST /releases/{release_id}/deprecate": { params: releases.ReleaseParams, response: releases.ReleaseWriteResponse },
  "DELETE /releases/{release_id}": { params: releases.ReleaseParams, response: MessageResult },

  // jobs
  "GET /jobs": { query: jobs.ListJobsQuery, response: jobs.JobListResponse },
  "POST /jobs": { body: jobs.CreateJobBody, response: jobs.JobWriteResponse },
  "GET /jobs/{job_id}": { params: jobs.JobParams, response: jobs.JobDetailResponse },
  "POST /jobs/{job_id}/cancel": { params: jobs.JobParams, response: jobs.JobWriteResponse },

  // analytics (admin lists; intake for every signed-in user)
  "GET /analytics/requests": { query: analytics.ApiRequestsQuery, response: analytics.ApiRequestsResponse },
  "GET /analytics/errors": { query: analytics.ErrorLogsQuery, response: analytics.ErrorLogsResponse },
  "PATCH /analytics/errors/{id}": {
    params: analytics.ErrorIdParams,
    body: analytics.ResolveErrorBody,
    response: analytics.ResolveErrorResult,
  },
  "GET /analytics/user-activities": {
    query: analytics.UserActivitiesQuery,
    response: analytics.UserActivitiesResponse,
  },
  "GET /analytics/audit-logs": { query: analytics.AuditLogsQuery, response: analytics.AuditLogsResponse },
  "GET /analytics/jobs": { query: analytics.JobOutcomesQuery, response: analytics.JobOutcomesResponse },
  "GET /analytics/device-metrics/summary": {
    query: analytics.DeviceMetricsSummaryQuery,
    response: analytics.DeviceMetricsSummaryResponse,
  },
  "GET /analytics/requests/summary": {
    query: analytics.ApiRequestsSummaryQuery,
    response: analytics.ApiRequestsSummaryResponse,
  },
  "GET /analytics/validation": { query: analytics.ValidationQuery, response: analytics.ValidationResponse },
  "POST /analytics/user-activity": { body: IntakeBody, response: analytics.IntakeResult },
  "POST /analytics/errors": { body: IntakeBody, response: analytics.IntakeResult },

  // insights
  "GET /ai/insights/device/{device_id}": {
    params: insights.DeviceParams,
    query: insights.HealthQuery,
    response: insights.DeviceInsightsResponse,
  },
  "GET /ai/insights/site/{site_id}": {
    params: insights.SiteParams,
    query: insights.HealthQuery,
    response: insights.SiteInsightsResponse,
  },
  "GET /ai/predictions/failure/{device_id}": {
    params: insights.DeviceParams,
    query: insights.FailureQuery,
    response: insights.FailurePredictionResponse,
  },
  "GET /ai/predictions/at-risk-devices": { query: insights.AtRiskQuery, response: insights.AtRiskResponse },
  "GET /ai/recommendations/optimal-windows/{site_id}": {
    params: insights.SiteParams,
    query: insights.WindowsQuery,
    response: insights.OptimalWindowsResponse,
  },
  "POST /ai/recommendations/schedule-job": { body: insights.ScheduleJobBody, response: insights.ScheduleJobResponse },
  "POST /ai/recommendations/success-probability": {
    body: insights.SuccessProbabilityBody,
    response: insights.SuccessProbabilityResponse,
  },
  "GET /ai/anomalies": { query: insights.AnomaliesQuery, response: insights.AnomaliesResponse },
  "GET /ai/anomalies/live": { query: insights.LiveAnomaliesQuery, response: insights.LiveAnomaliesResponse },
  "PUT /ai/alerts/{id}/resolve": { params: alerts.AlertParams, response: insights.ResolveAlertResponse },
  "GET /ai/error-patterns": { query: insights.ErrorPatternsQuery, response: insights.ErrorPatternsResponse },
  "GET /ai/health-forecast": { query: insights.ForecastQuery, response: insights.HealthForecastResponse },
  "GET /ai/status": { response: insights.InsightsStatusResponse },

  // Ask HOMEPOT
  "POST /ai/query": { body: ask.AskQueryBody, response: ask.AskQueryResponse },
  "GET /ai/query/history": { query: ask.AskHistoryQuery, response: ask.AskHistoryResponse },
  "GET /ai/query/suggestions": { query: ask.AskSuggestionsQuery, response: ask.AskSuggestionsResponse },
  // alerts
  "GET /alerts": { query: alerts.ListAlertsQuery, response: alerts.AlertList },
  "GET /alerts/counts": { query: alerts.AlertCountsQuery, response: alerts.AlertCountsResponse },
  "GET /alerts/{id}": { params: alerts.AlertParams, response: alerts.AlertGetResult },
  "POST /alerts/{id}/acknowledge": {
    params: alerts.AlertParams,
    body: alerts.AlertNoteBody.nullish(),
    response: alerts.AlertResult,
  },
  "POST /alerts/{id}/resolve": {
    params: alerts.AlertParams,
    body: alerts.AlertNoteBody.nullish(),
    response: alerts.AlertResult,
  },
  "GET /alerts/rules": { response: alerts.AlertRuleList },
  "POST /alerts/rules": { body: alerts.CreateAlertRuleBody, response: alerts.AlertRuleResult },
  "PUT /alerts/rules/{id}": {
    params: alerts.AlertRuleParams,
    body: alerts.UpdateAlertRuleBody,
    response: alerts.AlertRuleResult,
  },
  "DELETE /alerts/rules/{id}": { params: alerts.AlertRuleParams, response: MessageResult },
  "POST /agent/alert": { body: alerts.AgentAlertBody, response: alerts.AgentAlertResponse },

  // onboarding: enrolment intents (claim tokens), site bootstrap keys, approval, device DNA (issue 14)
  "GET /sites/{site_id}/enrolment-intents": {
    params: sites.SiteParams,
    query: enrolment.ListIntentsQuery,
    response: enrolment.IntentList,
  },
  "POST /sites/{site_id}/enrolment-intents": {
    params: sites.SiteParams,
    body: enrolment.CreateIntentBody,
    response: enrolment.CreateIntentResult,
  },
  "GET /sites/{site_id}/enrolment-intents/{intent_id}": {
    params: enrolment.IntentParams,
    response: enrolment.IntentGetResult,
  },
  "PUT /sites/{site_id}/enrolment-intents/{intent_id}": {
    params: enrolment.IntentParams,
    body: enrolment.DecideIntentBody,
    response: enrolment.DecideIntentResult,
  },
  "POST /sites/{site_id}/enrolment-intents/{intent_id}/regenerate-token": {
    params: enrolment.IntentParams,
    body: enrolment.RegenerateTokenBody,
    response: enrolment.RegenerateTokenResult,
  },
  "POST /enrolment-intents/{intent_id}/claim": {
    params: enrolment.ClaimParams,
    body: enrolment.ClaimBody,
    response: enrolment.ClaimResult,
  },
  "POST /sites/{site_id}/bootstrap-key": {
    params: sites.SiteParams,
    body: enrolment.BootstrapKeyBody,
    response: enrolment.BootstrapKeyResult,
  },
  "DELETE /sites/{site_id}/bootstrap-key": { params: sites.SiteParams, response: enrolment.BootstrapRevokeResult },
  "POST /devices/bootstrap-provision": {
    body: enrolment.BootstrapProvisionBody,
    response: enrolment.BootstrapProvisionResult,
  },
  "POST /devices/verify-bootstrap": { body: enrolment.VerifyBootstrapBody, response: enrolment.VerifyBootstrapResult },
  "POST /devices/check-name": { body: enrolment.CheckNameBody, response: enrolment.CheckNameResult },
  "POST /devices/{device_id}/approve": {
    params: DeviceParams,
    body: enrolment.DecideDeviceBody,
    response: devices.DeviceWriteResult,
  },
  "POST /devices/{device_id}/reject": {
    params: DeviceParams,
    body: enrolment.DecideDeviceBody,
    response: devices.DeviceWriteResult,
  },
  "POST /agent/device-dna": { body: agents.DeviceDnaBody, response: agents.DeviceDnaResult },
  "GET /agents": { query: agents.AgentsQuery, response: agents.AgentList },
  "GET /agents/{device_id}": { params: DeviceParams, response: agents.AgentResult },
  "GET /alerts/channels": { response: notifications.ChannelList },
  "POST /alerts/channels": { body: notifications.CreateChannelBody, response: notifications.ChannelResult },
  "PUT /alerts/channels/{id}": {
    params: notifications.ChannelParams,
    body: notifications.UpdateChannelBody,
    response: notifications.ChannelResult,
  },
  "DELETE /alerts/channels/{id}": { params: notifications.ChannelParams, response: MessageResult },
  "POST /alerts/channels/{id}/test": {
    params: notifications.ChannelParams,
    response: notifications.TestNotificationResult,
  },
  "GET /alerts/deliveries": { query: notifications.ListDeliveriesQuery, response: notifications.DeliveryList },
  "POST /alerts/deliveries/{id}/retry": {
    params: notifications.DeliveryParams,
    response: notifications.DeliveryResult,
  },
  // tenants and memberships (the original HOMEPOT's shapes)
  "GET /tenants": { query: tenants.TenantsQuery, response: tenants.TenantsResponse },
  "POST /tenants": { body: tenants.CreateTenantBody, response: tenants.TenantSchema },
  "GET /tenants/me/memberships": { response: tenants.MyMembershipsResponse },
  "GET /tenants/{tenant_id}": { params: tenants.TenantIdParams, response: tenants.TenantSchema },
  "PUT /tenants/{tenant_id}": {
    params: tenants.TenantIdParams,
    body: tenants.UpdateTenantBody,
    response: tenants.TenantSchema,
  },
  "DELETE /tenants/{tenant_id}": { params: tenants.TenantIdParams, response: z.null() },
  "GET /tenants/{tenant_id}/users": { params: tenants.TenantIdParams, response: tenants.TenantUsersResponse },
  "GET /tenants/{tenant_id}/members": {
    params: tenants.TenantIdParams,
    response: tenants.TenantMembershipsResponse,
  },
  "POST /tenants/{tenant_id}/members": {
    params: tenants.TenantIdParams,
    body: tenants.MembershipBody,
    response: tenants.TenantMembershipSchema,
  },
  "PUT /tenants/{tenant_id}/members/{membership_id}": {
    params: tenants.TenantMemberParams,
    body: tenants.MembershipRoleBody,
    response: tenants.TenantMembershipSchema,
  },
  "DELETE /tenants/{tenant_id}/members/{membership_id}": { params: tenants.TenantMemberParams, response: z.null() },
  "GET /tenants/{tenant_id}/sites/{site_id}/members": {
    params: tenants.TenantSiteParams,
    response: tenants.SiteMembershipsResponse,
  },
  "POST /tenants/{tenant_id}/sites/{site_id}/members": {
    params: tenants.TenantSiteParams,
    body: tenants.MembershipBody,
    response: tenants.SiteMembershipSchema,
  },
  "PUT /tenants/{tenant_id}/sites/{site_id}/members/{membership_id}": {
    params: tenants.SiteMemberParams,
    body: tenants.MembershipRoleBody,
    response: tenants.SiteMembershipSchema,
  },
  "DELETE /tenants/{tenant_id}/sites/{site_id}/members/{membership_id}": {
    params: tenants.SiteMemberParams,
    response: z.null(),
  },
} satisfies Record<string, EndpointSchemas>;

export type Endpoints = typeof endpoints;
export type EndpointKey = keyof Endpoints;
