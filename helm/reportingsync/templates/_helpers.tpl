{{/* Names and labels shared by every template. */}}
{{- define "reportingsync.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "reportingsync.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "reportingsync.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "reportingsync.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "reportingsync.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Environment shared by the Deployment and the Job: secrets by reference only. */}}
{{- define "reportingsync.env" -}}
- name: ReportingSync__Target__ConnectionString
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.connectionString.name }}
      key: {{ .Values.secrets.connectionString.key }}
{{- if .Values.secrets.clientSecret.name }}
- name: ReportingSync__Dataverse__Auth__ClientSecret
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.clientSecret.name }}
      key: {{ .Values.secrets.clientSecret.key }}
{{- end }}
{{- if .Values.secrets.apiKey.name }}
- name: ReportingSync__Http__ApiKey
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.apiKey.name }}
      key: {{ .Values.secrets.apiKey.key }}
{{- end }}
{{- if .Values.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.otlpEndpoint | quote }}
{{- end }}
- name: ReportingSync__Http__Port
  value: {{ .Values.service.port | quote }}
- name: ReportingSync__WorkerId
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end -}}
