{{/* Names, labels and checks shared by the templates. Objects are named <release>-api (cloud) or
<release>-agent (edge), or just the release name when it already says so (K3s: tms-agent). */}}

{{- define "tms.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tms.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $suffix := ternary "api" "agent" (eq .Values.mode "cloud") -}}
{{- if contains $suffix .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $suffix | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "tms.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tms.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: {{ ternary "cloud" "edge" (eq .Values.mode "cloud") }}
{{- end -}}

{{- define "tms.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "tms.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: tms
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "tms.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tms.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "tms.secretName" -}}
{{- default (include "tms.fullname" .) .Values.secret.existingSecret -}}
{{- end -}}

{{/* Fails the render on values that cannot work, naming the value. */}}
{{- define "tms.validate" -}}
{{- if not (has .Values.mode (list "cloud" "edge")) -}}
{{- fail (printf "mode must be cloud or edge (was %v)" .Values.mode) -}}
{{- end -}}
{{- if eq .Values.mode "edge" -}}
{{- if ne (int .Values.replicaCount) 1 -}}
{{- fail "replicaCount must be 1 in edge mode: one agent writes the site's SQLite file" -}}
{{- end -}}
{{- if not (regexMatch "^[A-Z][A-Z0-9]{1,9}$" (toString .Values.site.code)) -}}
{{- fail (printf "site.code must be 2-10 upper-case letters or digits starting with a letter (was %v)" .Values.site.code) -}}
{{- end -}}
{{- if .Values.autoscaling.enabled -}}
{{- fail "autoscaling.enabled must be false in edge mode" -}}
{{- end -}}
{{- end -}}
{{- end -}}
