{{/* Names */}}
{{- define "todo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "todo.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's objects: <fullname>-<component> */}}
{{- define "todo.componentName" -}}
{{- printf "%s-%s" (include "todo.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "todo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "todo.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Labels */}}
{{- define "todo.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "todo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: todo-chatbot
{{- end -}}

{{- define "todo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "todo.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "todo.componentLabels" -}}
{{ include "todo.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Image of one component: <registry>/<component>:<tag> */}}
{{- define "todo.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .component (.root.Values.image.tag | default .root.Chart.AppVersion | toString) -}}
{{- end -}}

{{/* An env var read from the application Secret */}}
{{- define "todo.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.existingSecret }}
      key: {{ .key | default .name }}
{{- end -}}

{{/* APP_API_TOKEN from the app-token Secret (key `token`, the one daprd reads too) */}}
{{- define "todo.appApiTokenEnv" -}}
- name: APP_API_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.appApiToken.secretName }}
      key: token
{{- end -}}

{{/* Environment of each service: the names each service's config module reads */}}
{{- define "todo.env.api" -}}
{{- $r := . -}}
- name: PORT
  value: {{ .Values.api.port | quote }}
{{ include "todo.secretEnv" (dict "root" $r "name" "DATABASE_URL") }}
- name: EVENT_TRANSPORT
  value: {{ ternary "dapr" "direct" .Values.dapr.enabled | quote }}
- name: DAPR_HOST
  value: "127.0.0.1"
- name: DAPR_HTTP_PORT
  value: "3500"
- name: PUBSUB_NAME
  value: {{ .Values.dapr.pubsubName | quote }}
{{ include "todo.secretEnv" (dict "root" $r "name" "BETTER_AUTH_SECRET") }}
{{- /* verifies the one-click unsubscribe links the workers sign into reminder mail */}}
{{ include "todo.secretEnv" (dict "root" $r "name" "UNSUBSCRIBE_SECRET") }}
{{- /* auth rate limits shared by the replicas; signed-out sessions' socket disconnects */}}
{{ include "todo.secretEnv" (dict "root" $r "name" "REDIS_URL") }}
{{- /* account mail (verification, password reset): the SMTP_URL reminder mail uses */}}
- name: MAIL_TRANSPORT
  value: {{ .Values.api.mail.transport | quote }}
{{- if eq .Values.api.mail.transport "smtp" }}
{{ include "todo.secretEnv" (dict "root" $r "name" "SMTP_URL") }}
{{- end }}
- name: MAIL_FROM
  value: {{ .Values.api.mail.from | quote }}
- name: BETTER_AUTH_URL
  value: {{ .Values.publicUrl | quote }}
- name: CORS_ORIGINS
  value: {{ .Values.publicUrl | quote }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: RATE_LIMIT_PER_MINUTE
  value: {{ .Values.api.rateLimitPerMinute | quote }}
- name: BODY_LIMIT
  value: {{ .Values.api.bodyLimit | quote }}
- name: CHANGE_FEED_RETENTION_DAYS
  value: {{ .Values.api.retention.changeFeedDays | quote }}
- name: OUTBOX_RETENTION_HOURS
  value: {{ .Values.api.retention.outboxHours | quote }}
- name: PROCESSED_EVENTS_RETENTION_DAYS
  value: {{ .Values.api.retention.processedEventsDays | quote }}
- name: ACTIVITY_RETENTION_DAYS
  value: {{ .Values.api.retention.activityDays | default 90 | quote }}
- name: MIGRATE_ON_START
  value: {{ ternary "false" "true" .Values.migrations.enabled | quote }}
{{ include "todo.secretEnv" (dict "root" $r "name" "VAPID_PUBLIC_KEY") }}
{{- if .Values.api.llm.enabled }}
{{- if not (and .Values.api.llm.baseUrl .Values.api.llm.model) }}
{{- fail "api.llm.enabled needs api.llm.baseUrl and api.llm.model (and LLM_API_KEY in the Secret)" }}
{{- end }}
- name: LLM_BASE_URL
  value: {{ .Values.api.llm.baseUrl | quote }}
- name: LLM_MODEL
  value: {{ .Values.api.llm.model | quote }}
{{ include "todo.secretEnv" (dict "root" $r "name" "LLM_API_KEY") }}
{{- end }}
{{- if not .Values.dapr.enabled }}
{{- /* direct transport: the api delivers each event to the subscriber apps' Services itself */}}
- name: DIRECT_SUBSCRIBERS
  value: {{ printf "http://%s:%v,http://%s:%v" (include "todo.componentName" (dict "root" $r "component" "workers")) .Values.workers.port (include "todo.componentName" (dict "root" $r "component" "socket")) .Values.socket.port | quote }}
{{- if .Values.appApiToken.enabled }}
{{ include "todo.appApiTokenEnv" $r }}
{{- end }}
{{- end }}
{{- with .Values.api.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "todo.env.workers" -}}
{{- $r := . -}}
- name: PORT
  value: {{ .Values.workers.port | quote }}
{{ include "todo.secretEnv" (dict "root" $r "name" "REDIS_URL") }}
- name: PUBSUB_NAME
  value: {{ .Values.dapr.pubsubName | quote }}
- name: EVENT_TRANSPORT
  value: {{ ternary "dapr" "direct" .Values.dapr.enabled | quote }}
{{- if not .Values.dapr.enabled }}
{{- /* direct transport: occurrence.due and reminder.fired go to the api's subscriber routes */}}
- name: DIRECT_SUBSCRIBERS
  value: {{ printf "http://%s:%v" (include "todo.componentName" (dict "root" $r "component" "api")) .Values.api.port | quote }}
{{- end }}
- name: DAPR_HOST
  value: "127.0.0.1"
- name: DAPR_HTTP_PORT
  value: "3500"
- name: BULL_BOARD_USER
  value: {{ .Values.workers.bullBoardUser | quote }}
{{- /* The reconciler's read-only role: SELECT on schedule_view and nothing else */}}
{{ include "todo.secretEnv" (dict "root" $r "name" "DATABASE_URL" "key" "SCHEDULE_DATABASE_URL") }}
- name: RECONCILE_INTERVAL_MS
  value: {{ mul .Values.workers.reconcile.intervalSeconds 1000 | quote }}
- name: RECONCILE_LOOKBACK_MS
  value: {{ mul .Values.workers.reconcile.lookbackHours 3600000 | quote }}
{{ include "todo.secretEnv" (dict "root" $r "name" "BULL_BOARD_PASSWORD") }}
{{- /* Web Push (ADR 220): the VAPID pair from the Secret; devices from push_subscription_view */}}
{{ include "todo.secretEnv" (dict "root" $r "name" "VAPID_PUBLIC_KEY") }}
{{ include "todo.secretEnv" (dict "root" $r "name" "VAPID_PRIVATE_KEY") }}
- name: VAPID_SUBJECT
  value: {{ .Values.workers.push.vapidSubject | quote }}
- name: PUSH_TTL_SECONDS
  value: {{ .Values.workers.push.ttlSeconds | quote }}
{{- if .Values.appApiToken.enabled }}
{{ include "todo.appApiTokenEnv" $r }}
{{- end }}
{{- /* reminder mail: SMTP submission URL (with credentials) from the Secret */}}
- name: MAIL_TRANSPORT
  value: {{ .Values.workers.mail.transport | quote }}
{{- if eq .Values.workers.mail.transport "smtp" }}
{{ include "todo.secretEnv" (dict "root" $r "name" "SMTP_URL") }}
{{- end }}
- name: MAIL_FROM
  value: {{ .Values.workers.mail.from | quote }}
- name: PUBLIC_URL
  value: {{ .Values.publicUrl | quote }}
{{ include "todo.secretEnv" (dict "root" $r "name" "UNSUBSCRIBE_SECRET") }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- with .Values.workers.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "todo.env.socket" -}}
{{- $r := . -}}
- name: PORT
  value: {{ .Values.socket.port | quote }}
{{ include "todo.secretEnv" (dict "root" $r "name" "REDIS_URL") }}
- name: JWKS_URL
  value: {{ printf "http://%s:%v/api/auth/jwks" (include "todo.componentName" (dict "root" $r "component" "api")) .Values.api.port | quote }}
- name: JWT_ISSUER
  value: {{ .Values.publicUrl | quote }}
- name: JWT_AUDIENCE
  value: {{ .Values.publicUrl | quote }}
- name: PUBSUB_NAME
  value: {{ .Values.dapr.pubsubName | quote }}
{{- if .Values.appApiToken.enabled }}
{{ include "todo.appApiTokenEnv" $r }}
{{- end }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- with .Values.socket.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "todo.env.client" -}}
- name: API_UPSTREAM
  value: {{ printf "%s:%v" (include "todo.componentName" (dict "root" . "component" "api")) .Values.api.port | quote }}
- name: SOCKET_UPSTREAM_SERVERS
  value: {{ printf "server %s:%v;" (include "todo.componentName" (dict "root" . "component" "socket")) .Values.socket.port | quote }}
{{- end -}}

{{/* Dapr sidecar annotations for one app */}}
{{- define "todo.daprAnnotations" -}}
{{- $v := .root.Values -}}
dapr.io/enabled: "true"
dapr.io/app-id: {{ .component | quote }}
dapr.io/app-port: {{ .port | quote }}
dapr.io/app-protocol: "http"
dapr.io/config: {{ $v.dapr.configName | quote }}
dapr.io/log-level: {{ $v.dapr.logLevel | quote }}
dapr.io/log-as-json: "true"
dapr.io/enable-metrics: "true"
dapr.io/metrics-port: "9090"
dapr.io/enable-app-health-check: "true"
dapr.io/app-health-check-path: "/health"
{{- if $v.appApiToken.enabled }}
{{- /* The injector gives daprd APP_API_TOKEN from this Secret's key `token` */}}
dapr.io/app-token-secret: {{ $v.appApiToken.secretName | quote }}
{{- end }}
dapr.io/graceful-shutdown-seconds: {{ $v.dapr.gracefulShutdownSeconds | quote }}
{{- /* No actors, jobs or workflows here: an empty address keeps the sidecar off Placement and Scheduler */}}
dapr.io/placement-host-address: ""
dapr.io/scheduler-host-address: ""
dapr.io/sidecar-cpu-request: {{ $v.dapr.sidecar.cpuRequest | quote }}
dapr.io/sidecar-memory-request: {{ $v.dapr.sidecar.memoryRequest | quote }}
dapr.io/sidecar-cpu-limit: {{ $v.dapr.sidecar.cpuLimit | quote }}
dapr.io/sidecar-memory-limit: {{ $v.dapr.sidecar.memoryLimit | quote }}
{{- end -}}

{{/*
One Deployment. Arguments (dict): root, component, port, env (rendered list), dapr (bool),
readyPath, values (the component's values), extraVolumes (list of mountPath for emptyDirs).
*/}}
{{- define "todo.deployment" -}}
{{- $root := .root -}}
{{- $v := .values -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "todo.componentName" . }}
  labels:
    {{- include "todo.componentLabels" . | nindent 4 }}
spec:
  {{- if not (and $v.autoscaling $v.autoscaling.enabled) }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "todo.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        {{- include "todo.selectorLabels" . | nindent 8 }}
        app.kubernetes.io/part-of: todo-chatbot
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ .port | quote }}
        prometheus.io/path: {{ ternary "/metrics" "/health" (ne .component "client") | quote }}
        {{- if .dapr }}
        checksum/dapr: {{ include (print $root.Template.BasePath "/dapr-components.yaml") $root | sha256sum }}
        {{- include "todo.daprAnnotations" . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "todo.serviceAccountName" $root }}
      automountServiceAccountToken: {{ .dapr | default false }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      terminationGracePeriodSeconds: {{ $root.Values.terminationGracePeriodSeconds }}
      securityContext:
        {{- if eq .component "client" }}
        {{- toYaml (merge (dict "runAsUser" 101 "runAsGroup" 101 "fsGroup" 101) (omit $root.Values.podSecurityContext "runAsUser" "runAsGroup" "fsGroup")) | nindent 8 }}
        {{- else }}
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
        {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "todo.image" . }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .port }}
              protocol: TCP
          env:
            {{- .env | nindent 12 }}
          startupProbe:
            httpGet: { path: /health, port: http }
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet: { path: /health, port: http }
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: { path: {{ .readyPath }}, port: http }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          lifecycle:
            preStop:
              exec:
                command: ["sleep", "{{ $root.Values.preStopSleepSeconds }}"]
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- range $i, $path := .extraVolumes }}
            - name: {{ printf "scratch-%d" $i }}
              mountPath: {{ $path }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- range $i, $path := .extraVolumes }}
        - name: {{ printf "scratch-%d" $i }}
          emptyDir: {}
        {{- end }}
{{- end -}}
