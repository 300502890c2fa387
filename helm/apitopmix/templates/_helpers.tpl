{{/*
Names, labels and the per-component facts every template shares.
*/}}

{{- define "apitopmix.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "apitopmix.fullname" -}}
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

{{/* The name of a component's objects: <fullname>-<component>. */}}
{{- define "apitopmix.componentName" -}}
{{- printf "%s-%s" (include "apitopmix.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "apitopmix.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "apitopmix.labels" -}}
helm.sh/chart: {{ include "apitopmix.chart" . }}
app.kubernetes.io/name: {{ include "apitopmix.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: apitopmix
{{- end -}}

{{/* dict root, component */}}
{{- define "apitopmix.selectorLabels" -}}
app.kubernetes.io/name: {{ include "apitopmix.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "apitopmix.componentLabels" -}}
{{ include "apitopmix.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/*
What the chart knows about each component: its values key, how it is reached, the variable that names its gRPC
address, whether it keeps a usage spool, and which provider keys it gets.
*/}}
{{- define "apitopmix.components" -}}
edge:
  key: edge
  protocol: http
chat:
  key: chat
  protocol: grpc
  urlEnv: CHAT_GRPC_URL
  spool: true
  providers: [OPENAI, NVIDIA_NIM, DEEPSEEK, ANTHROPIC, GEMINI]
embeddings:
  key: embeddings
  protocol: grpc
  urlEnv: EMBEDDINGS_GRPC_URL
  spool: true
  providers: [OPENAI, NVIDIA_NIM, DEEPSEEK, ANTHROPIC, GEMINI]
media-jobs:
  key: mediaJobs
  protocol: grpc
  urlEnv: MEDIA_JOBS_GRPC_URL
  spool: true
  providers: [OPENAI, NVIDIA_NIM, DEEPSEEK, ANTHROPIC, GEMINI, XAI, SUNO]
billing:
  key: billing
  protocol: grpc
  urlEnv: BILLING_GRPC_URL
rate-limit:
  key: rateLimit
  protocol: grpc
  urlEnv: RATE_LIMIT_GRPC_URL
{{- end -}}

{{/* The gRPC services the edge calls, in a fixed order. */}}
{{- define "apitopmix.grpcComponents" -}}
[chat, embeddings, media-jobs, billing, rate-limit]
{{- end -}}

{{/* dict root, component, values: the image reference. */}}
{{- define "apitopmix.image" -}}
{{- $image := .values.image | default dict -}}
{{- $repository := $image.repository | default (printf "%s/%s" .root.Values.image.registry .component) -}}
{{- $tag := $image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "apitopmix.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "apitopmix.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The base URL of the media links: explicit, else the first Ingress host. */}}
{{- define "apitopmix.publicBaseUrl" -}}
{{- if .Values.edge.publicBaseUrl -}}
{{- .Values.edge.publicBaseUrl -}}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts -}}
{{- $host := (first .Values.ingress.hosts).host -}}
{{- $tls := false -}}
{{- range .Values.ingress.tls }}{{ if has $host .hosts }}{{ $tls = true }}{{ end }}{{ end -}}
{{- printf "%s://%s" (ternary "https" "http" $tls) $host -}}
{{- end -}}
{{- end -}}

{{/* Security context of every pod: the values' fields, then the ones this chart never lets go. */}}
{{- define "apitopmix.podSecurityContext" -}}
{{- $ctx := deepCopy (.Values.podSecurityContext | default dict) -}}
{{- $_ := set $ctx "runAsNonRoot" true -}}
{{- $_ := set $ctx "seccompProfile" (dict "type" "RuntimeDefault") -}}
{{- if $ctx.fsGroup }}{{ $_ := set $ctx "fsGroupChangePolicy" "OnRootMismatch" }}{{ end -}}
{{- toYaml $ctx -}}
{{- end -}}

{{- define "apitopmix.containerSecurityContext" -}}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Variables every component gets: log level, metrics port, OpenTelemetry, the pod's identity. */}}
{{- define "apitopmix.commonEnv" -}}
{{- $root := .root -}}
- name: POD_NAME
  valueFrom: { fieldRef: { fieldPath: metadata.name } }
- name: POD_NAMESPACE
  valueFrom: { fieldRef: { fieldPath: metadata.namespace } }
- name: NODE_ENV
  value: production
- name: LOG_LEVEL
  value: {{ $root.Values.logLevel | quote }}
{{- if $root.Values.metrics.enabled }}
- name: METRICS_PORT
  value: {{ .values.metricsPort | quote }}
{{- end }}
{{- $grace := sub (sub (int .values.terminationGracePeriodSeconds) (int (.values.preStopSleepSeconds | default 0))) 10 }}
{{- if lt $grace 1 }}{{ fail (printf "%s: terminationGracePeriodSeconds must exceed preStopSleepSeconds by more than 10 s (the Kafka flush after the drain)" .component) }}{{ end }}
# What is in flight gets the pod's grace period, less the preStop sleep and 10 s for the final flush.
- name: SHUTDOWN_GRACE_MS
  value: {{ mul $grace 1000 | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ printf "apitopmix-%s" .component | quote }}
{{- $attributes := list "k8s.namespace.name=$(POD_NAMESPACE)" "k8s.pod.name=$(POD_NAME)" (printf "service.version=%s" $root.Chart.AppVersion) -}}
{{- range $k, $v := $root.Values.otel.resourceAttributes }}{{ $attributes = append $attributes (printf "%s=%s" $k $v) }}{{ end }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ join "," $attributes | quote }}
{{- with $root.Values.otel.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: {{ $root.Values.otel.protocol | quote }}
- name: OTEL_TRACES_SAMPLER
  value: {{ $root.Values.otel.sampler | quote }}
{{- with $root.Values.otel.samplerArg }}
- name: OTEL_TRACES_SAMPLER_ARG
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "apitopmix.databaseUrlEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.urlKey }}
{{- end -}}

{{- define "apitopmix.redisUrlEnv" -}}
- name: REDIS_URL
{{- if .Values.redis.existingSecret }}
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.existingSecret }}
      key: {{ .Values.redis.urlKey }}
{{- else }}
  value: {{ required "redis.url or redis.existingSecret is required" .Values.redis.url | quote }}
{{- end }}
{{- end -}}

{{- define "apitopmix.kafkaEnv" -}}
- name: KAFKA_BROKERS
  value: {{ required "kafka.brokers is required" .Values.kafka.brokers | quote }}
- name: KAFKA_TOPIC_PREFIX
  value: {{ .Values.kafka.topicPrefix | quote }}
{{- end -}}

{{/* dict root, component, facts: provider keys (optional keys of the existing Secret), base URLs, routing. */}}
{{- define "apitopmix.providerEnv" -}}
{{- $root := .root -}}
{{- range .facts.providers }}
- name: {{ . }}_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.providers.existingSecret }}
      key: {{ . }}_API_KEY
      optional: true
{{- end }}
{{- range $prefix, $url := $root.Values.providers.baseUrls }}
{{- if has $prefix $.facts.providers }}
- name: {{ $prefix }}_BASE_URL
  value: {{ $url | quote }}
{{- end }}
{{- end }}
{{- range $root.Values.providers.extraKeys }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.providers.existingSecret }}
      key: {{ . }}
      optional: true
{{- end }}
{{- if $root.Values.routing }}
- name: ROUTING_CONFIG_FILE
  value: /etc/apitopmix/routing/routing.json
{{- end }}
{{- end -}}

{{/* dict root, component, values, facts: the variables of one component. */}}
{{- define "apitopmix.componentEnv" -}}
{{- $root := .root -}}
{{- include "apitopmix.commonEnv" . }}
{{- if eq .component "edge" }}
- name: EDGE_HOST
  value: "0.0.0.0"
- name: EDGE_PORT
  value: {{ .values.port | quote }}
{{ include "apitopmix.databaseUrlEnv" $root }}
{{ include "apitopmix.redisUrlEnv" $root }}
{{- $components := include "apitopmix.components" $root | fromYaml }}
{{- range include "apitopmix.grpcComponents" $root | fromYamlArray }}
{{- $facts := index $components . }}
{{- $peer := index $root.Values $facts.key }}
- name: {{ $facts.urlEnv }}
  value: {{ printf "%s:%v" (include "apitopmix.componentName" (dict "root" $root "component" .)) $peer.grpcPort | quote }}
{{- end }}
- name: MEDIA_URL_SIGNING_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.edgeSecrets.existingSecret }}
      key: {{ $root.Values.edgeSecrets.mediaUrlSigningKeyKey }}
- name: ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.edgeSecrets.existingSecret }}
      key: {{ $root.Values.edgeSecrets.adminTokenKey }}
      optional: true
{{- with include "apitopmix.publicBaseUrl" $root }}
- name: PUBLIC_BASE_URL
  value: {{ . | quote }}
{{- end }}
{{- else }}
- name: {{ .facts.urlEnv }}
  value: {{ printf "0.0.0.0:%v" .values.grpcPort | quote }}
{{- end }}
{{- if has .component (list "billing" "media-jobs") }}
{{ include "apitopmix.databaseUrlEnv" $root }}
{{- end }}
{{- if has .component (list "billing" "rate-limit") }}
{{ include "apitopmix.redisUrlEnv" $root }}
{{- end }}
{{- if has .component (list "billing" "chat" "embeddings" "media-jobs") }}
{{ include "apitopmix.kafkaEnv" $root }}
{{- end }}
{{- if .facts.spool }}
- name: USAGE_SPOOL_DIR
  value: {{ printf "/var/lib/apitopmix/spool/%s" .component | quote }}
- name: USAGE_SPOOL_MAX_BYTES
  value: {{ .values.spool.maxBytes | int64 | quote }}
{{- end }}
{{- if eq .component "media-jobs" }}
- name: JOB_WORKER_ID
  value: "$(POD_NAME)"
{{- end }}
{{- if .facts.providers }}
{{- include "apitopmix.providerEnv" . }}
{{- end }}
{{- range $name, $value := .values.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}
