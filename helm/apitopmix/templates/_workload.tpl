{{/*
The objects every component has, one define each; templates/<component>/*.yaml call them with
(dict "root" $ "component" "<component>").
*/}}

{{- define "apitopmix.context" -}}
{{- $facts := index (include "apitopmix.components" .root | fromYaml) .component -}}
{{- $_ := set . "facts" $facts -}}
{{- $_ := set . "values" (index .root.Values $facts.key) -}}
{{- $_ := set . "name" (include "apitopmix.componentName" .) -}}
{{- end -}}

{{- define "apitopmix.deployment" -}}
{{- include "apitopmix.context" . -}}
{{- $root := .root -}}
{{- $v := .values -}}
{{- $http := eq .facts.protocol "http" -}}
{{- $port := $http | ternary $v.port $v.grpcPort -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
  labels:
    {{- include "apitopmix.componentLabels" . | nindent 4 }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "apitopmix.selectorLabels" . | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        {{- include "apitopmix.componentLabels" . | nindent 8 }}
        {{- with $root.Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        {{- if and $root.Values.metrics.enabled $root.Values.metrics.scrapeAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $v.metricsPort | quote }}
        prometheus.io/path: /metrics
        {{- end }}
        {{- if and $root.Values.routing .facts.providers }}
        checksum/routing: {{ toJson $root.Values.routing | sha256sum }}
        {{- end }}
        {{- with (merge (deepCopy ($v.podAnnotations | default dict)) ($root.Values.podAnnotations | default dict)) }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "apitopmix.serviceAccountName" $root }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      {{- with $root.Values.image.pullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "apitopmix.podSecurityContext" $root | nindent 8 }}
      containers:
        - name: {{ .component }}
          image: {{ include "apitopmix.image" . | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          securityContext:
            {{- include "apitopmix.containerSecurityContext" $root | nindent 12 }}
          ports:
            - name: {{ ternary "http" "grpc" $http }}
              containerPort: {{ $port }}
              protocol: TCP
            {{- if $root.Values.metrics.enabled }}
            - name: metrics
              containerPort: {{ $v.metricsPort }}
              protocol: TCP
            {{- end }}
          env:
            {{- include "apitopmix.componentEnv" . | nindent 12 }}
          {{- if $http }}
          startupProbe:
            httpGet: { path: /healthz, port: http }
            {{- toYaml $v.probes.startup | nindent 12 }}
          readinessProbe:
            httpGet: { path: /readyz, port: http }
            {{- toYaml $v.probes.readiness | nindent 12 }}
          livenessProbe:
            httpGet: { path: /healthz, port: http }
            {{- toYaml $v.probes.liveness | nindent 12 }}
          {{- else }}
          # The standard gRPC health protocol (grpc.health.v1), overall service "": SERVING once the dependencies
          # were reached at start-up, NOT_SERVING again from SIGTERM on.
          startupProbe:
            grpc: { port: {{ $port }}, service: "" }
            {{- toYaml $v.probes.startup | nindent 12 }}
          readinessProbe:
            grpc: { port: {{ $port }}, service: "" }
            {{- toYaml $v.probes.readiness | nindent 12 }}
          livenessProbe:
            grpc: { port: {{ $port }}, service: "" }
            {{- toYaml $v.probes.liveness | nindent 12 }}
          {{- end }}
          {{- if $v.preStopSleepSeconds }}
          lifecycle:
            preStop:
              sleep: { seconds: {{ $v.preStopSleepSeconds }} }
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if .facts.spool }}
            - name: spool
              mountPath: {{ printf "/var/lib/apitopmix/spool/%s" .component }}
            {{- end }}
            {{- if and $root.Values.routing .facts.providers }}
            - name: routing
              mountPath: /etc/apitopmix/routing
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $root.Values.tmpSizeLimit }}
        {{- if .facts.spool }}
        # Survives container restarts in the pod, not the pod: see helm/README.md (usage spool).
        - name: spool
          emptyDir:
            sizeLimit: {{ $v.spool.sizeLimit }}
        {{- end }}
        {{- if and $root.Values.routing .facts.providers }}
        - name: routing
          configMap:
            name: {{ include "apitopmix.fullname" $root }}-routing
        {{- end }}
      {{- with ($v.nodeSelector | default $root.Values.nodeSelector) }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with ($v.tolerations | default $root.Values.tolerations) }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with ($v.affinity | default $root.Values.affinity) }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml $v.topologySpreadConstraints | nindent 8 }}
      {{- else if $root.Values.spreadAcrossNodes }}
      topologySpreadConstraints:
        {{- range list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
        - topologyKey: {{ . }}
          maxSkew: 1
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "apitopmix.selectorLabels" $ | nindent 14 }}
        {{- end }}
      {{- end }}
{{- end -}}

{{- define "apitopmix.service" -}}
{{- include "apitopmix.context" . -}}
{{- $v := .values -}}
{{- $http := eq .facts.protocol "http" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .name }}
  labels:
    {{- include "apitopmix.componentLabels" . | nindent 4 }}
  {{- if and $http $v.service.annotations }}
  annotations:
    {{- toYaml $v.service.annotations | nindent 4 }}
  {{- end }}
spec:
  type: {{ $http | ternary (($v.service | default dict).type | default "ClusterIP") "ClusterIP" }}
  selector:
    {{- include "apitopmix.selectorLabels" . | nindent 4 }}
  ports:
    {{- if $http }}
    - name: http
      port: {{ $v.service.port }}
      targetPort: http
      protocol: TCP
    {{- else }}
    - name: grpc
      port: {{ $v.grpcPort }}
      targetPort: grpc
      protocol: TCP
      appProtocol: grpc
    {{- end }}
    {{- if .root.Values.metrics.enabled }}
    - name: metrics
      port: {{ $v.metricsPort }}
      targetPort: metrics
      protocol: TCP
    {{- end }}
{{- end -}}

{{- define "apitopmix.hpa" -}}
{{- include "apitopmix.context" . -}}
{{- $a := .values.autoscaling -}}
{{- if $a.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .name }}
  labels:
    {{- include "apitopmix.componentLabels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ .name }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $a.targetCPUUtilizationPercentage }}
    {{- with $a.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
  behavior:
    scaleDown:
      # Slowly: each pod removed takes its warm upstream connections with it.
      stabilizationWindowSeconds: 300
      policies:
        - type: Pods
          value: 1
          periodSeconds: 60
{{- end }}
{{- end -}}

{{- define "apitopmix.pdb" -}}
{{- include "apitopmix.context" . -}}
{{- $pdb := .values.pdb -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .name }}
  labels:
    {{- include "apitopmix.componentLabels" . | nindent 4 }}
spec:
  {{- if hasKey $pdb "minAvailable" }}
  minAvailable: {{ $pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $pdb.maxUnavailable | default 1 }}
  {{- end }}
  # A pod that never got ready may always be evicted, so a broken rollout cannot block a node drain.
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "apitopmix.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/*
Ingress: the edge's HTTP port from networkPolicy.edgeFrom (anyone when empty) and from this release's chart tests;
a gRPC port from the edge only; metrics from networkPolicy.metricsFrom. Egress (when on): DNS, the edge to the gRPC
services, and networkPolicy.egress.rules.
*/}}
{{- define "apitopmix.networkPolicy" -}}
{{- include "apitopmix.context" . -}}
{{- $root := .root -}}
{{- $np := $root.Values.networkPolicy -}}
{{- if $np.enabled }}
{{- $v := .values -}}
{{- $http := eq .facts.protocol "http" -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ .name }}
  labels:
    {{- include "apitopmix.componentLabels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "apitopmix.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    {{- if $np.egress.enabled }}
    - Egress
    {{- end }}
  ingress:
    {{- if $http }}
    - ports:
        - port: http
          protocol: TCP
      {{- if $np.edgeFrom }}
      from:
        {{- toYaml $np.edgeFrom | nindent 8 }}
        - podSelector:
            matchLabels:
              {{- include "apitopmix.selectorLabels" (dict "root" $root "component" "test") | nindent 14 }}
      {{- end }}
    {{- else }}
    - ports:
        - port: grpc
          protocol: TCP
      from:
        - podSelector:
            matchLabels:
              {{- include "apitopmix.selectorLabels" (dict "root" $root "component" "edge") | nindent 14 }}
    {{- end }}
    {{- if and $root.Values.metrics.enabled $np.metricsFrom }}
    - ports:
        - port: metrics
          protocol: TCP
      from:
        {{- toYaml $np.metricsFrom | nindent 8 }}
    {{- end }}
  {{- if $np.egress.enabled }}
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {{- if $http }}
    {{- range include "apitopmix.grpcComponents" $root | fromYamlArray }}
    {{- $peer := index $root.Values (index (include "apitopmix.components" $root | fromYaml) .).key }}
    - ports:
        - port: {{ $peer.grpcPort }}
          protocol: TCP
      to:
        - podSelector:
            matchLabels:
              {{- include "apitopmix.selectorLabels" (dict "root" $root "component" .) | nindent 14 }}
    {{- end }}
    {{- end }}
    {{- with $np.egress.rules }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
{{- end }}
{{- end -}}
