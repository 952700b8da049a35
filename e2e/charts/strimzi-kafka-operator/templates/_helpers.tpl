{{/* The real chart labels objects with app/chart/component/release/heritage; deploymentLabels go on the
Deployment and labels on its pods. The stand-in also puts deploymentLabels on the objects it renders besides the
Deployment (ServiceAccount, CRDs), so each carries the standard labels the component passes. */}}
{{- define "strimzi.labels" -}}
{{- $ctx := index . 0 -}}
{{- $component := index . 1 -}}
{{- $l := dict "app" "strimzi" "chart" (printf "%s-%s" $ctx.Chart.Name $ctx.Chart.Version) "component" $component "release" $ctx.Release.Name "heritage" $ctx.Release.Service -}}
{{- toYaml (mergeOverwrite $l (deepCopy $ctx.Values.deploymentLabels)) }}
{{- end }}
