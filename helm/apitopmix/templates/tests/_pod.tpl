{{/* dict root, name, script: one `helm test` pod running a shell script in busybox, as locked down as the rest. */}}
{{- define "apitopmix.testPod" -}}
{{- $ctx := dict "root" .root "component" "test" -}}
apiVersion: v1
kind: Pod
metadata:
  name: {{ printf "%s-test-%s" (include "apitopmix.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
  labels:
    {{- include "apitopmix.componentLabels" $ctx | nindent 4 }}
  annotations:
    helm.sh/hook: test
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  enableServiceLinks: false
  securityContext:
    {{- include "apitopmix.podSecurityContext" .root | nindent 4 }}
  containers:
    - name: {{ .name }}
      image: {{ .root.Values.tests.image | quote }}
      imagePullPolicy: IfNotPresent
      securityContext:
        {{- include "apitopmix.containerSecurityContext" .root | nindent 8 }}
      command: [sh, -ec]
      args:
        - |
          {{- .script | nindent 10 }}
      resources:
        requests: { cpu: 10m, memory: 16Mi }
        limits: { memory: 32Mi }
{{- end -}}
