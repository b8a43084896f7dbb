{{/* The chart's name, and the release's full name (at most 63 characters). */}}
{{- define "app.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "app.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels on every object; selector labels take the component as argument. */}}
{{- define "app.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "app.selectorLabels" -}}
app.kubernetes.io/name: {{ include "app.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* An image reference: repository:tag, the tag defaulting to appVersion. */}}
{{- define "app.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end }}

{{/* The Secret with the environment's secrets: made by the chart, or named. */}}
{{- define "app.secretName" -}}
{{- default (printf "%s-env" (include "app.fullname" .)) .Values.existingSecret }}
{{- end }}

{{/* What the backend, the worker and the migrations share: their environment. */}}
{{- define "app.backendEnv" -}}
envFrom:
  - configMapRef:
      name: {{ include "app.fullname" . }}-env
  - secretRef:
      name: {{ include "app.secretName" . }}
env:
  - name: POD_IP
    valueFrom:
      fieldRef:
        fieldPath: status.podIP
  # The public host, the Service's name for calls inside the cluster, and the
  # pod's own IP, which the kubelet's probes and Prometheus send as Host.
  - name: DJANGO_ALLOWED_HOSTS
    value: {{ printf "%s,%s-backend,$(POD_IP)" .Values.host (include "app.fullname" .) | quote }}
  - name: DJANGO_CSRF_TRUSTED_ORIGINS
    value: {{ printf "https://%s" .Values.host | quote }}
{{- end }}

{{/* Restart the pods when the settings change. */}}
{{- define "app.configChecksum" -}}
checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ include (print $.Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}

{{/* A pod's labels: its selector labels and the version. */}}
{{- define "app.podLabels" -}}
{{ include "app.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{- end }}
