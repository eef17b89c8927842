{{/* Object names are scoped to the release, so two releases can coexist: the
     release name when it contains the chart's name (partnercenter-operator
     gives config/default's names), else "<release>-partnercenter-operator";
     cut to 28 characters, since the longest name appended to it
     ("-controller-manager-metrics-service") must stay a 63-character DNS label. */}}
{{- define "chart.name" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 28 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 28 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "chart.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* Selector of the manager pods of this release. */}}
{{- define "chart.selectorLabels" -}}
control-plane: controller-manager
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The webhook serving certificate Secret. */}}
{{- define "chart.webhookCertSecret" -}}
{{ include "chart.name" . }}-webhook-server-cert
{{- end }}

{{/* Fails the render on an unknown certificate mode. */}}
{{- define "chart.certMode" -}}
{{- if not (has .Values.webhook.certMode (list "self-managed" "cert-manager")) }}
{{- fail "webhook.certMode must be self-managed or cert-manager" }}
{{- end }}
{{- .Values.webhook.certMode }}
{{- end }}
