{{- define "cluster.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "cluster.fullname" -}}
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

{{/* Same label set as the real chart: its own keys, then cluster.additionalLabels (merged, no duplicate keys). */}}
{{- define "cluster.labelDict" -}}
{{- $l := dict "helm.sh/chart" (printf "%s-%s" .Chart.Name .Chart.Version) "app.kubernetes.io/name" (include "cluster.name" .) "app.kubernetes.io/instance" .Release.Name "app.kubernetes.io/part-of" "cloudnative-pg" "app.kubernetes.io/managed-by" .Release.Service -}}
{{- toYaml (mergeOverwrite $l (deepCopy .Values.cluster.additionalLabels)) }}
{{- end }}

{{- define "cluster.labels" -}}
{{ include "cluster.labelDict" . }}
{{- end }}

{{- define "cluster.imageName" -}}
{{- .Values.cluster.imageName | default (printf "ghcr.io/cloudnative-pg/postgresql:%s" (toString .Values.version.postgresql)) }}
{{- end }}

{{/* What the operator puts on instance pods. */}}
{{- define "cluster.instanceLabels" -}}
cnpg.io/cluster: {{ include "cluster.fullname" . }}
cnpg.io/podRole: instance
{{- end }}
