{{- define "valkey.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "valkey.fullname" -}}
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

{{- define "valkey.selectorLabels" -}}
app.kubernetes.io/name: {{ include "valkey.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Object labels like the real chart: its own keys, then commonLabels; `component` overrides (Services). */}}
{{- define "valkey.labels" -}}
{{- $ctx := index . 0 -}}
{{- $extra := index . 1 -}}
{{- $l := dict "helm.sh/chart" (printf "%s-%s" $ctx.Chart.Name $ctx.Chart.Version) "app.kubernetes.io/name" (include "valkey.name" $ctx) "app.kubernetes.io/instance" $ctx.Release.Name "app.kubernetes.io/version" ($ctx.Values.image.tag | default $ctx.Chart.AppVersion) "app.kubernetes.io/managed-by" $ctx.Release.Service -}}
{{- $l = mergeOverwrite $l (deepCopy $ctx.Values.commonLabels) $extra -}}
{{- toYaml $l }}
{{- end }}

{{/* Pod template labels like the real chart: selector labels, commonLabels, podLabels. */}}
{{- define "valkey.podLabels" -}}
{{- $l := dict "app.kubernetes.io/name" (include "valkey.name" .) "app.kubernetes.io/instance" .Release.Name -}}
{{- toYaml (mergeOverwrite $l (deepCopy .Values.commonLabels) (deepCopy .Values.podLabels)) }}
{{- end }}

{{- define "valkey.image" -}}
{{- printf "%s/%s:%s" .Values.image.registry .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* Same validation as the real chart: auth needs the default user and a password source, never inline here. */}}
{{- define "valkey.validate" -}}
{{- if .Values.auth.enabled }}
{{- if not (hasKey .Values.auth.aclUsers "default") }}{{ fail "auth.aclUsers must define the 'default' user" }}{{ end }}
{{- range $user, $u := .Values.auth.aclUsers }}
{{- if $u.password }}{{ fail (printf "stand-in refuses an inline password for user %s; use auth.usersExistingSecret" $user) }}{{ end }}
{{- if not $.Values.auth.usersExistingSecret }}{{ fail "auth.usersExistingSecret is required" }}{{ end }}
{{- end }}
{{- end }}
{{- if and .Values.replica.enabled (not .Values.replica.persistence.size) }}{{ fail "replica mode requires replica.persistence.size" }}{{ end }}
{{- end }}

{{/* The pod spec shared by the Deployment (standalone) and the StatefulSet (replicas). */}}
{{- define "valkey.podSpec" -}}
automountServiceAccountToken: {{ .Values.serviceAccount.automount }}
serviceAccountName: {{ include "valkey.fullname" . }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
containers:
  - name: valkey
    image: {{ include "valkey.image" . }}
    command: ["valkey-server"]
    args: ["--port", "{{ .Values.service.port }}"]
    ports:
      - name: tcp
        containerPort: {{ .Values.service.port }}
        protocol: TCP
    {{- if .Values.livenessProbe.enabled }}
    livenessProbe:
      exec:
        command: ["valkey-cli", "ping"]
    {{- end }}
    {{- if .Values.readinessProbe.enabled }}
    readinessProbe:
      exec:
        command: ["valkey-cli", "ping"]
    {{- end }}
    securityContext:
      {{- toYaml .Values.securityContext | nindent 6 }}
    resources:
      {{- toYaml .Values.resources | nindent 6 }}
    volumeMounts:
      - name: valkey-data
        mountPath: /data
      {{- if .Values.auth.enabled }}
      - name: valkey-users-secret
        mountPath: /valkey-users-secret
        readOnly: true
      {{- end }}
volumes:
  # Stand-in: always an emptyDir. kwok clusters have no volume provisioner, so a PVC would never bind.
  - name: valkey-data
    emptyDir: {}
  {{- if .Values.auth.enabled }}
  - name: valkey-users-secret
    secret:
      secretName: {{ tpl .Values.auth.usersExistingSecret . }}
      defaultMode: 0400
  {{- end }}
{{- end }}
