{{/* Object names are fixed (not per release) and equal the ones config/default gives,
     which are also the manager's flag defaults. */}}
{{- define "chart.name" -}}
partnercenter-operator
{{- end }}

{{/* Labels of every object. */}}
{{- define "chart.labels" -}}
app.kubernetes.io/name: {{ include "chart.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* Selector of the manager pods. */}}
{{- define "chart.selectorLabels" -}}
control-plane: controller-manager
app.kubernetes.io/name: {{ include "chart.name" . }}
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
