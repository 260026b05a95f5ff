{{/* Names and labels: templates never build them by hand. */}}

{{- define "ghostwatch.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ghostwatch.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Per-target resource name: <fullname>-<target>, within the 52 characters a CronJob name may have. */}}
{{- define "ghostwatch.targetName" -}}
{{- printf "%s-%s" (include "ghostwatch.fullname" .root) .target.name | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "ghostwatch.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "ghostwatch.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "ghostwatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ghostwatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ghostwatch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "ghostwatch.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "ghostwatch.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The Secret with a target's database credentials: its own existingSecret, or the chart's. */}}
{{- define "ghostwatch.databaseSecret" -}}
{{- default (include "ghostwatch.targetName" .) .target.database.existingSecret -}}
{{- end -}}

{{/* The pod spec both modes share; args and ports differ. Called with dict root, target, args. */}}
{{- define "ghostwatch.podSpec" -}}
{{- $root := .root -}}
serviceAccountName: {{ include "ghostwatch.serviceAccountName" $root }}
automountServiceAccountToken: false
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
{{- with $root.Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
containers:
  - name: ghostwatch
    image: {{ include "ghostwatch.image" $root }}
    imagePullPolicy: {{ $root.Values.image.pullPolicy }}
    args: {{ toJson .args }}
    {{- with .ports }}
    ports:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    env:
      - name: GHOSTWATCH_TARGET
        value: {{ .target.name | quote }}
      {{- if and (eq $root.Values.mode "cronjob") $root.Values.pushgatewayUrl }}
      - name: GHOSTWATCH_PUSHGATEWAY_URL
        value: {{ $root.Values.pushgatewayUrl | quote }}
      {{- end }}
      {{- if eq $root.Values.mode "serve" }}
      - name: GHOSTWATCH_SCHEDULE
        value: {{ $root.Values.serveSchedule | quote }}
      - name: QUARKUS_HTTP_PORT
        value: {{ $root.Values.serve.port | quote }}
      {{- end }}
      {{- with $root.Values.notify.runbookUrl }}
      - name: GHOSTWATCH_NOTIFY_RUNBOOK_URL
        value: {{ . | quote }}
      {{- end }}
      {{- range $key, $value := $root.Values.config }}
      - name: {{ $key }}
        value: {{ $value | quote }}
      {{- end }}
      {{- range $key, $value := .target.env }}
      - name: {{ $key }}
        value: {{ $value | quote }}
      {{- end }}
    envFrom:
      - secretRef:
          name: {{ include "ghostwatch.databaseSecret" . }}
      {{- if $root.Values.notify.existingSecret }}
      - secretRef:
          name: {{ $root.Values.notify.existingSecret }}
      {{- end }}
      {{- if and (eq $root.Values.mode "cronjob") $root.Values.pushgatewayAuth.existingSecret }}
      - secretRef:
          name: {{ $root.Values.pushgatewayAuth.existingSecret }}
      {{- end }}
    {{- with .probes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    resources:
      {{- toYaml $root.Values.resources | nindent 6 }}
    securityContext:
      {{- toYaml $root.Values.securityContext | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: 16Mi
{{- end -}}
